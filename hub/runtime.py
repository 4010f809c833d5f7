"""``hub up``: the whole system on one machine, from nothing to URLs and demo logins.

Postgres and NATS are embedded unless HUB_DATABASE_URL / HUB_NATS_URL point elsewhere. Keys, migrations, streams
and the demo club are prepared once; then every component runs as a supervised child process (see supervisor.py)
until Ctrl-C or SIGTERM, and everything started here is stopped again before the command returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from hub import box, guardian
from hub.components import Plan, gateway_workers, plan_components
from hub.connections import ConnectionBudget, check_budget, system_budget
from hub.embedded import EmbeddedNats, EmbeddedPostgres, ensure_database, nats_argv, start_nats, start_postgres
from hub.errors import HubError, check_database, check_nats, first_line, redacted
from hub.settings import RuntimeSettings
from hub.supervisor import ChildSpec, ComponentFailed, Supervisor, die_with_parent

DATABASE_NAME = "hockey_hub"


def _say(line: str) -> None:
    print(line, flush=True)


@contextlib.contextmanager
def step(label: str, detail: str = "") -> Iterator[list[str]]:
    """One progress line: ``label detail ... ok (1.2s)``; the body may append a note to show after "ok"."""
    print(f"  {label:<16}{detail} ... ", end="", flush=True)
    started = time.monotonic()
    notes: list[str] = []
    try:
        yield notes
    except BaseException:
        print("failed", flush=True)
        raise
    suffix = f" - {notes[0]}" if notes else ""
    print(f"ok ({time.monotonic() - started:.1f}s){suffix}", flush=True)


class StopSignals:
    """Ctrl-C / SIGTERM: interrupt start-up at once; once children run, ask the supervisor loop to stop."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.interrupt = True

    def install(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._handle)

    def _handle(self, signum, _frame) -> None:
        self.requested.set()
        if self.interrupt:
            raise KeyboardInterrupt


def _already_running(runtime_file: Path) -> int | None:
    try:
        pid = json.loads(runtime_file.read_text())["pid"]
        os.kill(pid, 0)
    except (FileNotFoundError, KeyError, ValueError, TypeError, ProcessLookupError):
        return None
    except PermissionError:
        pass
    return pid


class Runtime:
    def __init__(self, settings: RuntimeSettings, say: Callable[[str], None] = _say):
        self.settings = settings
        self.say = say
        self.var_dir = settings.var_path
        self.runtime_file = self.var_dir / "runtime.json"
        self.postgres: EmbeddedPostgres | None = None
        self.nats: EmbeddedNats | None = None
        self.supervisor: Supervisor | None = None
        self.guardian: subprocess.Popen | None = None
        self.plan: Plan | None = None
        self.database_url = ""
        self.nats_url = ""
        self.started_at = ""
        self.ready = False

    @property
    def stream_replicas(self) -> int:
        """One copy on the embedded server; HUB_NATS_STREAM_REPLICAS on external ones (3 in a cluster)."""
        return 1 if self.nats is not None else self.settings.nats_stream_replicas

    # start-up ---------------------------------------------------------------------------------------------------

    def _start_database(self) -> None:
        """Start or reach Postgres, and refuse (HubError) when the components' connections would not fit in it: the
        embedded server is given a max_connections sized to them; an external one is only checked."""
        if external := self.settings.external_database_url:
            with step("postgres", f"external {redacted(external)}") as notes:
                check_database(external)
                budget = self._connection_budget(external)
                limit = check_budget(external, budget)
                notes.append(f"up to {budget.total} of its {limit.usable} connections")
            self.database_url = external
            return
        with (
            step("postgres", f"embedded, data in {self.var_dir / 'postgres'}") as notes,
            warnings.catch_warnings(),
        ):
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its fallback works fine
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
            self.postgres = start_postgres(self.var_dir / "postgres")
            guardian.tell(self.guardian, f"postgres {self.postgres.pid}")
            budget = self._connection_budget(self.postgres.url)
            if self.postgres.set_max_connections(budget.sized_max_connections()):
                guardian.tell(self.guardian, f"postgres {self.postgres.pid}")  # restarted: a new postmaster
            check_budget(self.postgres.url, budget)
            notes.append(f"max_connections {budget.sized_max_connections()} for up to {budget.total}")
            self.database_url = ensure_database(self.postgres.url, DATABASE_NAME)

    def _connection_budget(self, database_url: str) -> ConnectionBudget:
        return system_budget(self.settings, api_processes=gateway_workers(self.settings), database_url=database_url)

    def _start_nats(self) -> None:
        if external := self.settings.external_nats_url:
            with step("nats", f"external {external}"):
                asyncio.run(check_nats(external))
            self.nats_url = external
            return
        with step("nats", f"embedded JetStream, store in {self.var_dir / 'nats'}") as notes:
            self.nats = start_nats(
                self.var_dir / "nats",
                log_file=self.var_dir / "log" / "nats.log",
                start_new_session=True,
                preexec_fn=die_with_parent(),
            )
            guardian.tell(self.guardian, f"group {self.nats.process.pid}")
            self.nats_url = self.nats.url
            notes.append(self.nats_url)

    def _prepare(self) -> None:
        """Keys, migrations, streams and the demo club (created on the first start only), in a child process
        (hub/prepare.py) so that what they import is not held by this one for as long as the system runs."""
        env = {
            **os.environ,
            "HUB_DATABASE_URL": self.database_url,
            "HUB_NATS_URL": self.nats_url,
            "HUB_VAR_DIR": str(self.var_dir),
        }
        argv = [sys.executable, "-m", "hub.prepare", "--stream-replicas", str(self.stream_replicas)]
        child = subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, text=True, preexec_fn=die_with_parent())
        try:
            _, stderr = child.communicate()
        finally:
            if child.poll() is None:  # interrupted while preparing
                child.terminate()
                child.wait(timeout=10)
        if child.returncode != 0:
            lines = [line for line in stderr.splitlines() if line.strip()]
            reason = lines[-1].removeprefix("error: ") if lines else f"exit code {child.returncode}"
            raise HubError(f"preparing failed: {reason}")

    def _restarted(self) -> None:
        """A component was restarted: runtime.json gets its new pid, once the system is ready. Before, the file must
        not exist: whoever waits for it (scripts, the benchmarks, the tests) takes it for "every component ready",
        and a component that cannot start is restarted before that."""
        if self.ready:
            self._write_runtime_file()

    def _write_runtime_file(self) -> None:
        assert self.plan is not None and self.supervisor is not None
        pids = self.supervisor.pids()
        state = {
            "pid": os.getpid(),
            "started_at": self.started_at,
            "var_dir": str(self.var_dir),
            "urls": self.plan.urls,
            "database_url": redacted(self.database_url),
            "nats_url": self.nats_url,
            "components": {
                spec.name: {"pid": pids[spec.name], "url": spec.url, "log": str(spec.log_path)}
                for spec in self.plan.children
            },
            "not_running": self.plan.missing,
            "embedded": {
                "postgres_pid": self.postgres.pid if self.postgres else None,
                "nats_pid": pids.get("nats") if self.nats else None,
            },
        }
        tmp = self.runtime_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=2) + "\n")
        tmp.replace(self.runtime_file)

    # the whole run ----------------------------------------------------------------------------------------------

    def run(self) -> int:
        (self.var_dir / "log").mkdir(parents=True, exist_ok=True)
        if (pid := _already_running(self.runtime_file)) is not None:
            raise HubError(f"Hockey Hub is already running from {self.var_dir} (pid {pid}); stop it first")
        # first of all, so that nothing started from here on can outlive this process, even killed with SIGKILL
        self.guardian = guardian.start(self.var_dir / "log" / "guardian.log")
        guardian.tell(self.guardian, f"runtime {self.runtime_file}")
        signals = StopSignals()
        signals.install()
        started = time.monotonic()
        self.started_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.say(f"Starting Hockey Hub (data in {self.var_dir})")
        failure = None
        try:
            self._start_database()
            self._start_nats()
            self._prepare()
            self.plan = plan_components(
                self.settings,
                database_url=self.database_url,
                nats_url=self.nats_url,
                base_env=dict(os.environ),
                stream_replicas=self.stream_replicas,
            )
            for name, reason in self.plan.missing.items():
                self.say(f"  [--] {name:<11} not started: {reason}")
            signals.interrupt = False  # from here on the loops below watch signals.requested
            self.supervisor = Supervisor(
                self.plan.children,
                say=self.say,
                max_restarts=self.settings.max_restarts,
                on_restart=self._restarted,
                on_spawn=lambda pid: guardian.tell(self.guardian, f"group {pid}"),
            )
            if self.nats is not None:  # restarted on its port, with its data, if it dies; stopped last
                nats_spec = ChildSpec(
                    name="nats",
                    argv=nats_argv(self.nats.store_dir, self.nats.port),
                    log_path=self.var_dir / "log" / "nats.log",
                )
                self.supervisor.adopt(nats_spec, self.nats.process)
            self.supervisor.start()
            if self.supervisor.wait_until_ready(self.settings.ready_timeout_seconds, signals.requested):
                self.ready = True
                self._write_runtime_file()
                self.say(box.ready_message(self.plan, self.var_dir, time.monotonic() - started))
                self.supervisor.supervise(signals.requested)
            self.say("Stopping Hockey Hub ...")
        except KeyboardInterrupt:
            self.say("Stopping (interrupted during start-up) ...")
        except ComponentFailed as exc:
            failure = str(exc)
            self.say(f"Stopping Hockey Hub: {failure}")
        finally:
            signals.interrupt = False
            self._shutdown()
        if failure is not None:
            raise HubError(failure)
        return 0

    def _shutdown(self) -> None:
        if self.supervisor is not None:
            self.supervisor.stop()
        if self.nats is not None:
            self.nats.stop()
        if self.postgres is not None:
            try:
                self.postgres.stop()
            except Exception as exc:  # the data is safe on disk; say so rather than hide a stuck server
                self.say(f"  embedded Postgres did not stop cleanly: {first_line(exc)}")
        self.runtime_file.unlink(missing_ok=True)
        guardian.tell(self.guardian, "done")
        if self.guardian is not None and self.guardian.stdin is not None:
            with contextlib.suppress(OSError):
                self.guardian.stdin.close()
        self.say("Stopped.")


def up(settings: RuntimeSettings) -> int:
    return Runtime(settings).run()
