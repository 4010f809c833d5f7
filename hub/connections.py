"""The Postgres connection budget: the most connections the system's processes open at once, worked out here only.

An API process opens up to ``connections_per_api_process(HUB_DATABASE_POOL_SIZE)`` (30 at the default 10: its write
pool and its read pool, each with its overflow); a server runs ``HUB_API_WORKERS`` of them; the worker opens up to 8;
the pipeline and the stats API add theirs when the warehouse is on the same Postgres server (``HUB_WAREHOUSE_URL``).
Postgres refuses connections beyond ``max_connections`` less the slots reserved for superusers, and an API process
that cannot connect answers its requests with an error that does not say why. So ``hub up`` and ``hub serve`` compare
the budget with the server before they start anything (:func:`check_budget`), and the Postgres servers the project
starts itself (``hub up``'s embedded one, the compose file's) get a ``max_connections`` sized to it
(:meth:`ConnectionBudget.sized_max_connections`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from hub.errors import HubError, redacted
from hub.settings import RuntimeSettings
from shared_settings import WORKER_POOL_SIZE, connections_per_api_process, pool_connections

# The pipeline's on a Postgres warehouse: dbt's threads (pipelines.dbt_build.DbtBuildResource.threads, 4) and its own
# connection, the pass's session and the ingest's.
PIPELINE_CONNECTIONS = 4 + 1 + 2
# What a sized max_connections adds to the budget: a fifth, at least 20, for what connects now and then (hub migrate,
# hub seed, hub backup's pg_dump, psql, a restarted component whose old connections have not closed yet) ...
HEADROOM_SHARE = 0.2
MIN_HEADROOM = 20
# ... and Postgres's own superuser_reserved_connections (its default), which no role of ours may count on.
SUPERUSER_RESERVED = 3
POSTGRES_DEFAULT_MAX_CONNECTIONS = 100  # a sized max_connections is never below Postgres's default


@dataclass(frozen=True)
class ConnectionBudget:
    """The most Postgres connections at once: ``api_processes`` × :attr:`per_api_process` + ``worker`` +
    ``warehouse`` (the pipeline's and the stats API's, when the warehouse is on the same server; else 0)."""

    api_processes: int
    pool_size: int
    worker: int = pool_connections(WORKER_POOL_SIZE)
    warehouse: int = 0

    @property
    def per_api_process(self) -> int:
        return connections_per_api_process(self.pool_size)

    @property
    def total(self) -> int:
        return self.api_processes * self.per_api_process + self.worker + self.warehouse

    def explained(self) -> str:
        """The sum spelt out with the settings behind each term, for a message."""
        parts = [
            f"{self.api_processes} API process{'es' if self.api_processes != 1 else ''} x {self.per_api_process}"
            f" (HUB_DATABASE_POOL_SIZE={self.pool_size})",
            f"the worker's {self.worker}",
        ]
        if self.warehouse:
            parts.append(f"the pipeline's and stats API's {self.warehouse} (HUB_WAREHOUSE_URL on this server)")
        return " + ".join(parts) + f" = {self.total}"

    def sized_max_connections(self) -> int:
        """A ``max_connections`` for a server the project starts: the budget, headroom and the superuser slots,
        rounded up to ten, never below Postgres's default of 100."""
        headroom = max(MIN_HEADROOM, math.ceil(self.total * HEADROOM_SHARE))
        wanted = self.total + headroom + SUPERUSER_RESERVED
        return max(POSTGRES_DEFAULT_MAX_CONNECTIONS, math.ceil(wanted / 10) * 10)


def system_budget(settings: RuntimeSettings, *, api_processes: int, database_url: str) -> ConnectionBudget:
    """The budget of ``api_processes`` API processes, the worker, and the pipeline and stats API (one process each,
    as ``hub up`` runs them) when ``HUB_WAREHOUSE_URL`` is on ``database_url``'s server."""
    warehouse = 0
    if settings.warehouse_url and _server(settings.warehouse_url) == _server(database_url):
        from warehouse.postgres_warehouse import POOL_MAX_SIZE  # the stats API's pool on the serving schema

        warehouse = PIPELINE_CONNECTIONS + POOL_MAX_SIZE
    return ConnectionBudget(api_processes=api_processes, pool_size=settings.database_pool_size, warehouse=warehouse)


@dataclass(frozen=True)
class ServerLimit:
    """What a Postgres server allows: ``max_connections`` less the slots reserved for superusers (and, from Postgres
    16, for roles granted ``pg_use_reserved_connections``)."""

    max_connections: int
    reserved: int

    @property
    def usable(self) -> int:
        return self.max_connections - self.reserved


def server_limit(database_url: str, *, timeout_seconds: int = 5) -> ServerLimit:
    """Ask the server (``SHOW max_connections``); raises psycopg.OperationalError when it cannot be reached."""
    import psycopg

    with psycopg.connect(_libpq_url(database_url), connect_timeout=timeout_seconds, autocommit=True) as conn:
        row = conn.execute(
            "SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int"
            " + coalesce(current_setting('reserved_connections', true)::int, 0)"
        ).fetchone()
    assert row is not None
    return ServerLimit(max_connections=row[0], reserved=row[1])


def check_budget(database_url: str, budget: ConnectionBudget) -> ServerLimit:
    """Raise :class:`HubError`, naming the settings to change, when ``budget`` exceeds what the server at
    ``database_url`` allows; return that limit otherwise."""
    limit = server_limit(database_url)
    if budget.total > limit.usable:
        lower = "HUB_API_WORKERS (--workers for `hub serve`) or HUB_DATABASE_POOL_SIZE"
        if budget.warehouse:
            lower += ", or put HUB_WAREHOUSE_URL on another server"
        raise HubError(
            f"too many database connections: the Postgres server at {redacted(database_url)} accepts {limit.usable} "
            f"(max_connections {limit.max_connections} less {limit.reserved} reserved), and this system may open "
            f"{budget.total}: {budget.explained()}. Lower {lower}, or raise the server's max_connections to "
            f"{budget.sized_max_connections()}"
        )
    return limit


def _server(url: str) -> tuple[str, str]:
    """Where a Postgres URL connects: (``local`` for this machine, else the host's address or name; port), libpq's
    defaults filled in. ``localhost``, ``127.0.0.1``, ``::1`` and a Unix socket directory are the same server on the
    same port; a name that does not resolve is compared as written."""
    import ipaddress
    import socket

    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(_libpq_url(url))
    host, port = str(parts.get("host") or "localhost"), str(parts.get("port") or 5432)
    if host.startswith("/"):
        return "local", port
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError):
        return host, port
    if all(ipaddress.ip_address(address.split("%")[0]).is_loopback for address in addresses):
        return "local", port
    return min(addresses), port


def _libpq_url(url: str) -> str:
    """The URL as libpq takes it (SQLAlchemy's ``postgresql+psycopg://`` spelt ``postgresql://``), without importing
    SQLAlchemy into `hub up` (tests/hub/test_process_imports.py)."""
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url)
