"""`make bench`: run every benchmark; each prints its table and writes bench/results/<name>.json.

``python -m bench`` runs them all; ``python -m bench api --seconds 5`` runs one with its own options
(``python -m bench api --help``). ``HUB_BENCH_QUICK=1`` shrinks every default to a smoke run.
"""

from __future__ import annotations

import importlib
import sys
import time

from bench.stack import stack_kept_open

BENCHMARKS = (
    "auth_tokens",
    "api",
    "relay",
    "ingest",
    "footprint",
    "freshness",
    "dbt_build",
    "stats",
    "calendar_listing",
    "calendar_worst_input",
    "tracing",
    "growth",
)

# Run only when named (`python -m bench faults`, `python -m bench soak`): each takes minutes (faults kills parts
# of a running stack; the soak runs ten minutes of mixed load; nats_memory publishes steadily for eight;
# dbt_invocation compares two ways of running dbt, a design decision already taken, in about three minutes;
# ingest_batch times one batch's load at three table sizes, the detail behind ingest's growth).
ON_REQUEST = ("faults", "soak", "nats_memory", "dbt_invocation", "ingest_batch")


def run(name: str, argv: list[str] | None = None):
    module = importlib.import_module(f"bench.{name}")
    if name == "auth_tokens":
        return module.main()
    return module.main(argv or [])


# `make bench` as a whole must stay under this (its figures are worth little if nobody can wait for them)
MAKE_BENCH_TARGET_MINUTES = 20


def _write_duration(seconds: dict[str, float], failed: list[str]) -> None:
    from bench.common import quick
    from bench.results import write_result

    total = sum(seconds.values())
    figures = {
        "quick": quick(),
        "seconds_each": seconds,
        "failed": failed,
        "total_minutes": round(total / 60, 1),
        "target_max_minutes": MAKE_BENCH_TARGET_MINUTES,
        "target_met": total / 60 < MAKE_BENCH_TARGET_MINUTES,
    }
    write_result("make_bench_quick" if quick() else "make_bench", figures)
    print(f"make bench: {total / 60:.1f} min (target < {MAKE_BENCH_TARGET_MINUTES} min)")


def _write_report() -> None:
    """The README's table of targets, from the results a whole run wrote to the repository (not a smoke run's)."""
    from bench.common import quick
    from bench.performance_report import write_report
    from bench.results import RESULTS_DIR, ResultSettings

    if not quick() and ResultSettings().results_dir == RESULTS_DIR:
        write_report()
        print("README.md: the performance table now shows this run")


def _elapsed(seconds: dict[str, float]) -> str:
    total = sum(seconds.values())
    return f"{total / 60:.1f} min"


def main() -> None:
    args = sys.argv[1:]
    if args and args[0] in ("-h", "--help"):
        print(__doc__.strip() + "\n\nbenchmarks: " + ", ".join(BENCHMARKS) + "; on request: " + ", ".join(ON_REQUEST))
        return
    if args:
        name, rest = args[0], args[1:]
        if name not in BENCHMARKS + ON_REQUEST:
            sys.exit(f"bench: unknown benchmark {name!r}; one of {', '.join(BENCHMARKS + ON_REQUEST)}")
        run(name, rest)
        return
    failed = []
    seconds: dict[str, float] = {}
    with stack_kept_open():  # footprint starts the stack, freshness uses the same one
        _run_all(seconds, failed)
    _write_duration(seconds, failed)
    _write_report()
    if failed:
        sys.exit(f"bench: failed: {', '.join(failed)}")


def _run_all(seconds: dict[str, float], failed: list[str]) -> None:
    for name in BENCHMARKS:
        print(f"== {name} ({BENCHMARKS.index(name) + 1} of {len(BENCHMARKS)}, {_elapsed(seconds)} so far)", flush=True)
        started = time.monotonic()
        try:
            run(name)
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            failed.append(name)
            print(f"  {name} failed: {exc.__class__.__name__}: {exc}")
        seconds[name] = round(time.monotonic() - started, 1)
        print(f"  ({seconds[name]:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
