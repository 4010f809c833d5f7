"""What ``hub up`` runs: one child process per component, each with the command ``docker-compose.yml`` uses too."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hub.embedded import free_port
from hub.settings import RuntimeSettings
from hub.supervisor import ChildSpec

GATEWAY_FACTORY = "operational.gateway:create_app"
STATS_FACTORY = "operational.stats.app:create_app"
PIPELINE_RUNNER = "pipelines.runner"
DAGSTER_DEFINITIONS = "pipelines.definitions"

TELEMETRY_OFF = {
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
}
WORKER_READY_MARKER = "worker ready"
# logged once the runner has parsed the dbt project and connected to NATS
PIPELINE_READY_MARKER = "pipeline runner started"


def module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent package is missing
        return False


def dashboards_script() -> Path | None:
    """dashboards/app.py of this checkout (or of the installed package), if there is one."""
    try:
        spec = importlib.util.find_spec("dashboards")
    except ModuleNotFoundError:
        spec = None
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in [*folders, Path.cwd() / "dashboards"]:
        script = Path(folder) / "app.py"
        if script.is_file():
            return script.absolute()
    return None


def http_probe(url: str) -> Callable[[], bool]:
    import httpx

    def probe() -> bool:
        try:
            return httpx.get(url, timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    return probe


def gateway_workers(settings: RuntimeSettings) -> int:
    """Worker processes of the gateway under ``hub up``: HUB_API_WORKERS when set; one otherwise (with one per core,
    tests/hub/test_up.py's stop-under-SIGKILL scenario failed on a loaded two-core machine; the cause is not found
    yet)."""
    return settings.api_workers or 1


@dataclass(frozen=True)
class Plan:
    """The children to start, and the components left out with the reason."""

    children: list[ChildSpec]
    missing: dict[str, str]
    urls: dict[str, str]


def plan_components(
    settings: RuntimeSettings, *, database_url: str, nats_url: str, base_env: dict[str, str], stream_replicas: int = 1
) -> Plan:
    var_dir = settings.var_path
    host = settings.bind_host
    public_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    gateway_port = free_port(settings.gateway_port)
    stats_port = free_port(settings.stats_port)
    dashboards_port = free_port(settings.dashboards_port)
    gateway_url = f"http://{public_host}:{gateway_port}"
    stats_url = f"http://{public_host}:{stats_port}"
    dashboards_url = f"http://{public_host}:{dashboards_port}"
    env = {
        **base_env,
        **TELEMETRY_OFF,
        "PYTHONUNBUFFERED": "1",
        "HUB_VAR_DIR": str(var_dir),
        "HUB_DATABASE_URL": database_url,
        "HUB_NATS_URL": nats_url,
        "HUB_NATS_STREAM_REPLICAS": str(stream_replicas),
        "HUB_GATEWAY_URL": gateway_url,
        "HUB_STATS_URL": stats_url,
        # the runner writes dagster.yaml there with telemetry off; every Dagster tool started here shares it
        "DAGSTER_HOME": base_env.get("DAGSTER_HOME") or str(var_dir / "dagster"),
    }
    if settings.dagster_ui:
        # the UI shows the runs the pipeline records (a few seconds per pass: only when the UI is asked for)
        env["HUB_PIPELINE_RECORD_RUNS"] = "true"
    for name, value in (("HUB_WAREHOUSE_PATH", settings.warehouse_path), ("HUB_SERVING_DIR", settings.serving_dir)):
        if value is not None:
            env[name] = str(Path(value).absolute())
    hub = [sys.executable, "-m", "hub"]
    log_dir = var_dir / "log"

    def child(name: str, argv: list[str], **kwargs) -> ChildSpec:
        return ChildSpec(name=name, argv=argv, log_path=log_dir / f"{name}.log", env=env, **kwargs)

    children = [
        child(
            "gateway",
            [*hub, "serve", "gateway", "--host", host, "--port", str(gateway_port)]
            + ["--workers", str(gateway_workers(settings))],
            ready_probe=http_probe(f"{gateway_url}/readyz"),
            url=f"{gateway_url}/docs",
        ),
        child("worker", [*hub, "worker"], ready_marker=WORKER_READY_MARKER),
    ]
    missing: dict[str, str] = {}
    urls = {"gateway": gateway_url, "gateway_docs": f"{gateway_url}/docs"}
    if module_available(PIPELINE_RUNNER):
        children.append(child("pipeline", [*hub, "pipeline", "run"], ready_marker=PIPELINE_READY_MARKER))
    else:
        missing["pipeline"] = f"module {PIPELINE_RUNNER} is not in this checkout"
    if module_available(STATS_FACTORY.split(":")[0]):
        children.append(
            child(
                "stats",
                [*hub, "serve", "stats", "--host", host, "--port", str(stats_port)],
                ready_probe=http_probe(f"{stats_url}/healthz"),
                url=f"{stats_url}/docs",
            )
        )
        urls.update(stats=stats_url, stats_docs=f"{stats_url}/docs")
    else:
        missing["stats"] = f"module {STATS_FACTORY.split(':')[0]} is not in this checkout"
    if dashboards_script() is not None:
        children.append(
            child(
                "dashboards",
                [*hub, "serve", "dashboards", "--host", host, "--port", str(dashboards_port)],
                ready_probe=http_probe(f"{dashboards_url}/_stcore/health"),
                url=dashboards_url,
            )
        )
        urls["dashboards"] = dashboards_url
    else:
        missing["dashboards"] = "dashboards/app.py is not in this checkout"
    if settings.dagster_ui:
        dagster_port = free_port(settings.dagster_port)
        dagster_url = f"http://{public_host}:{dagster_port}"
        children.append(
            child(
                "dagster",
                [
                    sys.executable,
                    "-m",
                    "dagster_webserver",
                    "-m",
                    DAGSTER_DEFINITIONS,
                    "-h",
                    host,
                    "-p",
                    str(dagster_port),
                ],
                ready_probe=http_probe(f"{dagster_url}/server_info"),
                url=dagster_url,
            )  # fmt: skip
        )
        urls["dagster"] = dagster_url
    return Plan(children=children, missing=missing, urls=urls)
