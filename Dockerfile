# One image for every Hockey Hub process; docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HUB_VAR_DIR=/app/var \
    DAGSTER_HOME=/opt/dagster \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    GX_ANALYTICS_ENABLED=false \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

RUN useradd --create-home --uid 1000 hub
WORKDIR /app

# dependencies first, so a code change does not reinstall them
COPY pyproject.toml README.md ./
RUN pip install uv && uv pip install --system -r pyproject.toml

# owned by the app user: dbt writes its target/ and logs/ inside the project
COPY --chown=hub:hub . .
RUN uv pip install --system --no-deps -e . \
    && mkdir -p /app/var /opt/dagster \
    && cp deploy/dagster.yaml /opt/dagster/dagster.yaml \
    && chown -R hub:hub /app/var /opt/dagster

USER hub
CMD ["hub", "--help"]
