"""Soak: minutes of mixed load on the whole ``make up`` stack while the pipeline keeps building.

On ``hub up`` in a temporary var dir (bench/stack.py), for ``--minutes`` (10 by default), all at once:

- ``--players`` players log session RPE (each POST with its own Idempotency-Key), correct and withdraw logs, read
  their logs and statistics; ``--coaches`` coaches read their teams' logs, events, load board and daily load and plan
  a practice now and then (real tokens, signed in through the API);
- an analyst queries the serving snapshot as the README's Analysts section says: a new read-only connection on
  ``current.duckdb`` per query, one connection held for the whole run, and ``hub sql -c`` now and then;
- a headless Chromium opens a dashboards page as a coach every ``--page-seconds`` (log in, a team page in turn,
  rendered to the end, log out: a Streamlit page is a script run over a WebSocket, so a plain HTTP GET of it proves
  nothing); Streamlit's health endpoint is probed with the APIs' every 5 s. Without Chromium the page loads are
  left out and the result says so;
- every ``--sample-seconds`` the memory of every process of the stack, per component (a component's children counted
  with it: Postgres with its backends), whole-process PSS split by kind (bench/soak_memory.py), Postgres's and the
  nats-server's own figures on their caches, and the load average. The soak starts the nats-server itself, with the
  embedded runtime's command plus a heap-profile port and ``GODEBUG=gctrace=1``, and gives it to ``hub up`` as its
  NATS (``HUB_NATS_URL``): ``hub up`` runs every other part as ``make up`` does.

Afterwards the components' logs (``var/log/*.log``, what they wrote during the run) are searched for errors and for
DuckDB lock errors, and the pipeline's log for its passes. Targets: 0 errors of any kind; 0 warehouse lock errors;
every process's memory flat within 10 %: the mean over the last fifth of the run (the last 2 minutes of 10) against
the mean over its second fifth (minutes 2–4, after the first 2 minutes of warm-up) of what its processes allocate
(anonymous and shared memory, not mapped files), less two caches of a bounded size: Postgres's shared segment (checked
on its own: it must stay within the size Postgres reports) and the nats-server's message-block buffers (measured in
its heap profile). bench/soak_memory.py says why. Whole-process PSS and every kind are in the result too.

    python -m bench soak [--minutes 10] [--players 4] [--coaches 2] [--page-seconds 30]

Results in bench/results/soak.json. Not part of ``python -m bench`` (ten minutes on its own).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import threading
import time
from collections import Counter
from pathlib import Path

from bench.common import TELEMETRY_OFF, print_table, quick, verdict, wait_until
from bench.results import write_result
from bench.soak_clients import LOCK_ERROR, AnalystClient, ApiClient, BrowserClient, HealthClient, Tally
from bench.soak_memory import (
    NatsProbe,
    PostgresProbe,
    ProfiledNats,
    memory_growth,
    profiled_nats,
    sample_components,
    server_caches,
)
from bench.stack import Stack, running_stack
from warehouse.serving import current_snapshot

PLAYERS = ("elias.nilsson@northside.example.org", "liam.johansson@northside.example.org",
           "oscar.andersson@northside.example.org", "hugo.larsson@northside.example.org",
           "noah.karlsson@northside.example.org", "william.olsson@northside.example.org")  # fmt: skip
COACHES = ("coach@northside.example.org", "trainer@northside.example.org", "admin@northside.example.org")
MEMORY_GROWTH_LIMIT = 0.10
FIRST_SNAPSHOT_SECONDS = 600.0
# the windows compared, as fractions of the run: minutes 2-4 and 8-10 of ten
WARM_WINDOW, FINAL_WINDOW = (0.2, 0.4), (0.8, 1.0)
# JSON logs' error levels and tracebacks (Python's; Streamlit's too, once its colour codes are taken out)
LOG_ERROR = re.compile(r'"level": "(error|critical)"|Traceback ?\(most recent call last\)|^\S* ?\S* ?(ERROR|CRITICAL) ')
COLOURS = re.compile(r"\x1b\[[0-9;]*m")
RAISED = re.compile(r"^[\w.]+: \S")  # a traceback's last line: "ValueError: ..."


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench soak")
    parser.add_argument("--minutes", type=float, default=1.0 if quick() else 10.0, help="how long the load runs")
    parser.add_argument("--players", type=int, default=4, help=f"players writing at once (at most {len(PLAYERS)})")
    parser.add_argument("--coaches", type=int, default=2, help=f"coaches reading at once (at most {len(COACHES)})")
    parser.add_argument("--page-seconds", type=float, default=30.0, help="a dashboards page load this often")
    parser.add_argument("--sample-seconds", type=float, default=5.0, help="memory sampled this often")
    parser.add_argument("--no-browser", action="store_true", help="leave out the Chromium page loads")
    parser.add_argument("--keep-logs", type=Path, help="copy the components' logs into this folder afterwards")
    return parser.parse_args(argv)


# memory -----------------------------------------------------------------------------------------------------------


def _roots(stack: Stack, nats: ProfiledNats | None = None) -> dict[str, int]:
    """Each component's process (re-read from runtime.json: a restarted one has a new pid), NATS (``nats`` when the
    soak started it), Postgres and hub up itself (the supervisor; its guardian is counted with it)."""
    runtime = json.loads((stack.var_dir / "runtime.json").read_text())
    roots = {name: component["pid"] for name, component in runtime["components"].items() if component["pid"]}
    embedded = runtime.get("embedded") or {}
    for name in ("nats", "postgres"):
        if embedded.get(f"{name}_pid"):
            roots[name] = embedded[f"{name}_pid"]
    if nats is not None:
        roots["nats"] = nats.process.pid
    roots["hub up"] = stack.process.pid
    return roots


def sample_memory(stack: Stack, nats: ProfiledNats | None = None) -> dict[str, dict[str, float]]:
    """MiB by kind per component of ``stack`` (bench/soak_memory.py's sample_components)."""
    return sample_components(_roots(stack, nats))


# logs -------------------------------------------------------------------------------------------------------------


def log_offsets(log_dir: Path) -> dict[str, int]:
    return {path.name: path.stat().st_size for path in log_dir.glob("*.log")}


def scan_logs(log_dir: Path, offsets: dict[str, int]) -> dict:
    """What each component logged since ``offsets``: error lines (with the first of each), DuckDB lock errors, and the
    pipeline's passes (all, and those that failed)."""
    errors, locks, first = Counter(), Counter(), {}
    passes = failed = 0
    for path in sorted(log_dir.glob("*.log")):
        with path.open("rb") as f:
            f.seek(offsets.get(path.name, 0))
            text = f.read().decode(errors="replace")
        component = path.stem
        lines = COLOURS.sub("", text).splitlines()
        for number, line in enumerate(lines):
            if LOCK_ERROR.search(line):
                locks[component] += 1
            if LOG_ERROR.search(line):
                errors[component] += 1
                raised = next((later for later in lines[number + 1 : number + 200] if RAISED.match(later)), "")
                first.setdefault(component, f"{line.strip()[:200]} {raised[:300]}".strip())
            if component == "pipeline" and '"message": "pipeline pass' in line:
                passes += 1
                failed += '"success": false' in line or "could not run" in line
    return {"errors": dict(errors), "lock_errors": dict(locks), "first_error": first,
            "pipeline_passes": passes, "pipeline_failed_passes": failed}  # fmt: skip


# the run ----------------------------------------------------------------------------------------------------------


def _clients(stack: Stack, args: argparse.Namespace, tally: Tally, stop: threading.Event) -> tuple[list, str]:
    clients = [ApiClient(stack, PLAYERS[i % len(PLAYERS)], "player", tally, stop, seed=i) for i in range(args.players)]
    clients += [ApiClient(stack, COACHES[i % len(COACHES)], "coach", tally, stop, seed=100 + i)
                for i in range(args.coaches)]  # fmt: skip
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("HUB_")}, **TELEMETRY_OFF,
           "HUB_VAR_DIR": str(stack.var_dir)}  # fmt: skip
    clients += [AnalystClient(stack, env, tally, stop), HealthClient(stack, tally, stop)]
    from tests.dashboards.browser import CHROMIUM

    if args.no_browser:
        browser = "left out (--no-browser)"
    elif CHROMIUM is None:
        browser = "left out: chromium is not installed (apt-get install chromium)"
    elif "dashboards" not in stack.runtime["urls"]:
        browser = "left out: the dashboards are not running"
    else:
        clients.append(BrowserClient(stack, COACHES[0], tally, stop, pause=args.page_seconds))
        browser = f"a coach's page every {args.page_seconds:g} s in headless Chromium"
    return clients, browser


def soak(stack: Stack, args: argparse.Namespace, nats_server: ProfiledNats | None = None) -> dict:
    """Run the load on ``stack`` for ``args.minutes`` and return the figures (see the module's docstring);
    ``nats_server``: the NATS the stack uses when the soak started it (its heap profile is then read too), else the
    stack's embedded one is measured."""
    seconds = args.minutes * 60
    serving = stack.var_dir / "warehouse" / "serving"
    # the analyst needs something to read: the pipeline's first pass publishes it (a minute on a busy machine)
    wait_until(lambda: current_snapshot(serving) is not None, FIRST_SNAPSHOT_SECONDS, "the first serving snapshot")
    tally, stop = Tally(), threading.Event()
    clients, browser = _clients(stack, args, tally, stop)
    log_dir = stack.var_dir / "log"
    offsets = log_offsets(log_dir)
    first_pids = _roots(stack, nats_server)
    load_at_start = os.getloadavg()
    postgres = PostgresProbe(stack.runtime.get("database_url"))
    nats = (NatsProbe(nats_server.log, nats_server.store_dir, nats_server.profile_url) if nats_server
            else NatsProbe(log_dir / "nats.log", stack.var_dir / "nats"))  # fmt: skip
    segment = postgres.segment()
    samples: list[dict] = []
    started = time.monotonic()
    for client in clients:
        client.start()
    try:
        while (elapsed := time.monotonic() - started) < seconds:
            memory = sample_memory(stack, nats_server)  # first: the probes' own connections are not counted
            samples.append({"t": round(elapsed, 1), "load_1min": os.getloadavg()[0], "memory": memory,
                            "postgres": postgres.sample(), "nats": nats.sample()})  # fmt: skip
            stop.wait(min(args.sample_seconds, max(0.0, seconds - (time.monotonic() - started))))
    finally:
        stop.set()
        for client in clients:
            client.join(60)
    restarts = {name: pid for name, pid in _roots(stack, nats_server).items() if first_pids.get(name) != pid}
    logs = scan_logs(log_dir, offsets)
    memory = memory_growth(samples, seconds, (WARM_WINDOW, FINAL_WINDOW), MEMORY_GROWTH_LIMIT)
    client_errors = {kind: count for kind, count in tally.errors.items() if kind != "duckdb_lock"}
    errors = sum(client_errors.values()) + sum(logs["errors"].values()) + len(restarts)
    errors += logs["pipeline_failed_passes"]
    lock_errors = tally.errors["duckdb_lock"] + sum(logs["lock_errors"].values())
    grew = {name: figures["criterion"]["growth_pct"] for name, figures in memory.items() if not figures["flat"]}
    caches = server_caches(samples, seconds, (WARM_WINDOW, FINAL_WINDOW), segment)
    if (caches["postgres"]["pss_shmem_of_segment_pct_max"] or 0) > 100:  # more shared memory than its fixed segment
        grew["postgres shared memory, % of its segment"] = caches["postgres"]["pss_shmem_of_segment_pct_max"]
    loads = [s["load_1min"] for s in samples]
    targets = {
        "zero_errors": {"value": errors, "target_met": errors == 0},
        "zero_warehouse_lock_errors": {"value": lock_errors, "target_met": lock_errors == 0},
        "memory_flat_within_10_percent": {"grew": grew, "target_met": not grew and bool(memory)},
    }
    return {
        "minutes": args.minutes,
        "clients": {"players": args.players, "coaches": args.coaches, "analysts": 1, "browser": browser},
        "load_average": {
            "at_start": [round(x, 2) for x in load_at_start],
            "mean_1min": round(sum(loads) / len(loads), 2) if loads else None,
            "max_1min": round(max(loads), 2) if loads else None,
            "cpus": os.cpu_count(),
        },  # fmt: skip
        "operations": tally.operations(),
        "client_errors_by_kind": dict(tally.errors),
        "error_examples": tally.examples,
        "log_errors_by_component": logs["errors"],
        "log_first_error": logs["first_error"],
        "log_lock_errors_by_component": logs["lock_errors"],
        "components_restarted": restarts,
        "pipeline": {
            "passes": logs["pipeline_passes"],
            "failed_passes": logs["pipeline_failed_passes"],
            "snapshots_seen_by_analyst": len(tally.snapshots_seen),
        },  # fmt: skip
        "memory": {
            "compared": f"mean over {FINAL_WINDOW[0] * seconds / 60:g}-{seconds / 60:g} min against "
            f"{WARM_WINDOW[0] * seconds / 60:g}-{WARM_WINDOW[1] * seconds / 60:g} min (the first "
            f"{WARM_WINDOW[0] * seconds / 60:g} min are warm-up)",
            "criterion": "each component's criterion.applied_to grows at most 10 %; whole-process PSS and every "
            "kind (bench/soak_memory.py) are reported beside it",
            "samples": len(samples),
            "by_process": memory,
            "server_caches": caches,
            "whole_stack_pss_mib": [round(sum(m["pss_mib"] for m in s["memory"].values())) for s in samples],
            "sample_seconds": [s["t"] for s in samples],
            **{
                f"{kind}_mib_by_process": {
                    name: [round(s["memory"].get(name, {}).get(f"{kind}_mib", 0.0), 1) for s in samples]
                    for name in memory
                }
                for kind in ("pss", "uss", "pss_anon", "pss_file", "pss_shmem")
            },
        },
        "targets": targets,
        "target_met": all(target["target_met"] for target in targets.values()),
    }


def report(figures: dict) -> None:
    operations = figures["operations"]
    print_table(f"soak ({figures['minutes']:g} min, load average {figures['load_average']['mean_1min']} on "
                f"{figures['load_average']['cpus']} CPUs)", ("operation", "ok", "p50 ms", "p95 ms", "p99 ms"),
                [(name, o["ok"], o["p50_ms"], o["p95_ms"], o["p99_ms"]) for name, o in operations.items()])  # fmt: skip
    memory = figures["memory"]["by_process"]
    rows = [(name, m["pss_mib_warm"], m["pss_mib_final"], m["pss_growth_pct"], m["pss_anon_growth_pct"],
             m["pss_file_growth_pct"], m["pss_shmem_mib_final"], m["criterion"]["growth_pct"], verdict(m["flat"]))
            for name, m in memory.items()]  # fmt: skip
    header = ("process", "PSS warm", "PSS final", "PSS %", "anon %", "file %", "shmem MiB", "criterion %", "flat")
    print_table(f"memory ({figures['memory']['compared']})", header, rows)
    caches = figures["memory"]["server_caches"]
    postgres, windows = caches["postgres"], caches["windows"]
    print(f"  postgres: shared memory touched up to {postgres['pss_shmem_mib_max']} MiB of its "
          f"{postgres['segment_mib']} MiB segment ({postgres['shared_buffers_mib']} MiB buffers), "
          f"{postgres['evictions_during_run']} evictions; nats: live heap {windows['nats_live_heap_mib']} MiB, "
          f"message-block buffers {windows['nats_block_buffers_mib']} MiB (warm, final)")  # fmt: skip
    logged = {f"log {name}": count for name, count in figures["log_errors_by_component"].items()}
    errors = {**figures["client_errors_by_kind"], **logged}
    print(f"  errors: {errors or 'none'}; restarts: {figures['components_restarted'] or 'none'}; "
          f"pipeline passes: {figures['pipeline']['passes']}")  # fmt: skip
    for name, target in figures["targets"].items():
        print(f"  {name}: {verdict(target['target_met'])}")


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    # a shared, busy machine can take minutes to start the stack; that is not what the soak measures
    # NATS is started here, as hub up would start it but with its heap profile served (bench/soak_memory.py), and
    # given to hub up as its NATS
    with (
        profiled_nats() as nats_server,
        running_stack(ready_timeout=900, extra_env={"HUB_NATS_URL": nats_server.url}) as stack,
    ):
        try:
            figures = soak(stack, args, nats_server)
        finally:  # also when the soak fails: the logs say why
            if args.keep_logs is not None:
                shutil.copytree(stack.var_dir / "log", args.keep_logs, dirs_exist_ok=True)
                shutil.copy(stack.var_dir / "hub-up.out", args.keep_logs)
                shutil.copy(nats_server.log, args.keep_logs)
    report(figures)
    write_result("soak", figures)
    return figures
