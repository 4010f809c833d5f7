"""The README's table of performance targets, written from bench/results/*.json so that it says what was measured.

One row per target: the benchmark, what it measures, the figure, the baseline measured in the same run and the ratio
to it where the benchmark has one, the target, whether it was met and when it was measured. A result file that is
missing, comes from a quick run (``HUB_BENCH_QUICK=1``) or lacks a figure gives "not measured" in its rows. The table
sits between ``<!-- performance:start -->`` and ``<!-- performance:end -->`` and is replaced whole.

    python -m bench.performance_report [--results-dir bench/results --readme README.md]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.markers import replace_between
from bench.results import ResultSettings

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- performance:start -->", "<!-- performance:end -->"
NONE = "—"
# where the benchmarks that record the load average keep it
LOAD_KEYS = ("load_average_at_start", "load_average_1min")


@dataclass(frozen=True)
class Reading:
    """What one result file says about one target."""

    figure: str
    baseline: str
    ratio: str
    target: str
    met: bool | None  # None: measured, but the run cannot give a verdict


@dataclass(frozen=True)
class Target:
    benchmark: str  # the result file's name, bench/results/<benchmark>.json
    measures: str
    target: str  # shown when the result cannot say it
    read: Callable[[dict], Reading]


def _ms(value: float) -> str:
    return f"{value:,.1f} ms"


def _x(ratio: float) -> str:
    return f"{ratio:.2f}×"


def _rate(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}"


def _api_ratio(name: str, baseline: str, ratio_key: str, baseline_key: str, measured_key: str) -> Callable:
    def read(f: dict) -> Reading:
        target = f["targets"][name]
        return Reading(
            _rate(f[measured_key]["rps"], "req/s"),
            f"{baseline} {_rate(f[baseline_key]['rps'], 'req/s')}",
            _x(f[ratio_key]),
            f"≥ {target['min_ratio']:g}×",
            target["target_met"],
        )

    return read


def _api_p99_at_half(f: dict) -> Reading:
    at_half, target = f["read_at_half_saturation"], f["targets"]["p99_at_half"]
    bare = f.get("open_loop_at_half_saturation", {}).get("bare_read")
    # a generator that fell behind its schedule measured a lighter load than asked: the benchmark says whether its
    # figure still decides the target (older results: only when it kept its schedule)
    decided = target.get("verdict", target.get("generator_kept_schedule", True))
    rate = at_half.get("rate_rps", at_half.get("asked_rps"))
    return Reading(
        f"p99 {_ms(at_half['p99_ms'])} at {rate:,.0f} req/s",
        f"bare read at that rate: p99 {_ms(bare['p99_ms'])}" if bare else NONE,
        _x(f["p99_at_half_vs_bare"]) if "p99_at_half_vs_bare" in f else NONE,
        f"p99 < {target['max_ms']:g} ms",
        target["target_met"] if decided else None,
    )


def _loop_ratio(measured: str, baseline_key: str, baseline: str, ratio_key: str, units: tuple[str, str]) -> Callable:
    def read(f: dict) -> Reading:
        return Reading(
            _rate(f[measured], units[0]),
            f"{baseline} {_rate(f[baseline_key], units[1])}",
            _x(f[ratio_key]),
            f"≥ {f['target_min_ratio']:g}×",
            f["target_met"],
        )

    return read


def _dbt_build(f: dict) -> Reading:
    return Reading(
        f"{f['build_after_one_more_day_s']:.2f} s",
        f"the pipeline's full build {f['full_build_s']:.2f} s",
        _x(f["incremental_vs_full_ratio"]),
        f"≤ {f['target_max_ratio']:g}×",
        f["target_met"],
    )


def _freshness_p95(f: dict) -> Reading:
    return Reading(
        f"p95 {f['visible_in_stats_p95_s']:.2f} s ({f['writes']} writes"
        + (f", one every {f['interval_s']:g} s)" if "interval_s" in f else ", one at a time)"),
        f"event on NATS: p95 {f['on_nats_p95_s']:.3f} s",
        NONE,
        f"p95 ≤ {f['target_p95_s']:g} s",
        f["p95_target_met"],
    )


def _freshness_slowest(f: dict) -> Reading:
    unseen = len(f["not_visible_writes"])
    return Reading(
        f"slowest {f['visible_in_stats_max_s']:.2f} s" + (f", {unseen} never visible" if unseen else ""),
        NONE,
        NONE,
        f"slowest ≤ {f['target_max_s']:g} s",
        f["target_met"],
    )


def _board(f: dict) -> Reading:
    return Reading(
        f"p95 {_ms(f['team_board_p95_ms'])} ({f['events']:,} events)",
        f"`/healthz` p95 {_ms(f['healthz_p95_ms'])}",
        _x(f["board_vs_healthz_p95_ratio"]),
        f"p95 < {f['target_p95_max_ms']:g} ms",
        f["target_met"],
    )


def _footprint(f: dict) -> Reading:
    return Reading(
        f"{f['idle_pss_mib']:,} MiB PSS ({f['processes']} processes)",
        f"Postgres + NATS alone {f['platform_only_idle_pss_mib']:,} MiB",
        NONE,
        f"≤ {f['target_idle_max_mib']:,} MiB (1 GiB)",
        f["target_met"],
    )


def _growth(f: dict) -> Reading:
    growth = f["growth"]
    steepest = max(growth, key=lambda name: growth[name]["growth_exponent"])
    sizes = f["sizes"]
    return Reading(
        f"steepest exponent {growth[steepest]['growth_exponent']:.2f} (`{steepest}`), "
        f"{sizes[0]['events']:,} → {sizes[-1]['events']:,} events",
        f"`/healthz` p95's exponent {growth['healthz_p95_ms']['growth_exponent']:.2f}",
        NONE,
        f"every exponent ≤ {1 + f['tolerance']:g}",
        f["target_met"],
    )


def _growth_board(f: dict) -> Reading:
    largest = f["sizes"][-1]
    return Reading(
        f"p95 {_ms(f['board_p95_at_largest_ms'])} ({largest['events']:,} events)",
        f"`/healthz` p95 {_ms(largest['healthz_p95_ms'])}",
        _x(f["board_p95_at_largest_ms"] / largest["healthz_p95_ms"]),
        f"p95 < {f['board_p95_target_max_ms']:g} ms",
        f["board_target_met"],
    )


def _calendar_worst_input(f: dict) -> Reading:
    return Reading(
        f"`/healthz` p99 {_ms(f['healthz_loaded_p99_ms'])}",
        f"idle p99 {_ms(f['healthz_idle_p99_ms'])}",
        _x(f["healthz_loaded_p99_ms"] / f["healthz_idle_p99_ms"]),
        f"p99 < {f['target_p99_ms']:g} ms",
        f["target_met"],
    )


def _tracing(f: dict) -> Reading:
    return Reading(
        f"{f['tracing_off_cpu_us_per_event']:.1f} CPU µs an event, tracing off (best round; ratio: median of the"
        f" {f['rounds']} rounds' own)",
        f"relay without tracing {f['untraced_cpu_us_per_event']:.1f} µs",
        _x(f["off_vs_untraced_cpu_ratio"]),
        f"≥ {f['target_off_min_ratio']:g}× (≤ 3 % more CPU)",
        f["target_met"],
    )


def _make_bench(f: dict) -> Reading:
    failed = f.get("failed") or []
    return Reading(
        f"{f['total_minutes']:.1f} min" + (f" ({', '.join(failed)} failed)" if failed else ""),
        NONE,
        NONE,
        f"< {f['target_max_minutes']:g} min",
        f["target_met"],
    )


def _faults(f: dict) -> Reading:
    return Reading(
        f"{f['lost']} lost, {f['duplicated']} duplicated of {f['writes_committed']:,} writes, {f['trials']} kills",
        NONE,
        NONE,
        "0 lost, 0 duplicated",
        f["target_met"],
    )


def _soak(f: dict) -> Reading:
    targets = f["targets"]
    return Reading(
        f"{targets['zero_errors']['value']} errors, {targets['zero_warehouse_lock_errors']['value']} lock errors, "
        f"memory grew in {len(targets['memory_flat_within_10_percent']['grew'])} components ({f['minutes']:g} min)",
        NONE,
        NONE,
        "0 errors, 0 lock errors, memory flat within 10 %",
        f["target_met"],
    )


def _nats_memory(f: dict) -> Reading:
    return Reading(
        f"{f['growth_last_vs_middle_third_pct']:+.1f} % PSS, last third against the middle one",
        f"{f['rate_events_per_s']:g} events/s for {f['seconds']:g} s",
        NONE,
        f"within ±{f['target_growth_max_pct']:g} %",
        f["target_met"],
    )


TARGETS = (
    Target(
        "api",
        "API read: `GET /api/v1/training/rpe-logs`, 50 a page, wrk at 16 connections",
        "≥ 0.6× bare",
        _api_ratio("read_vs_bare", "bare psycopg endpoint", "read_vs_bare_ratio", "bare_read", "read_rpe_logs"),
    ),
    Target(
        "api",
        "API read against hello-world, the same run",
        "≥ 0.25×",
        _api_ratio("read_vs_hello", "hello-world", "read_vs_hello_ratio", "hello_world", "read_rpe_logs"),
    ),
    Target(
        "api",
        "API write: `POST /api/v1/training/rpe-logs` (+ outbox row)",
        "≥ 0.6× bare",
        _api_ratio(
            "write_vs_bare", "bare insert + outbox + NOTIFY", "write_vs_bare_ratio", "bare_write", "write_rpe_log"
        ),
    ),
    Target("api", "API read, open loop at half its saturation rate", "p99 < 25 ms", _api_p99_at_half),
    Target(
        "relay",
        "Outbox relay, Postgres → JetStream",
        "≥ 0.7×",
        _loop_ratio(
            "relay_events_per_s",
            "bare_publish_events_per_s",
            "bare publish_async loop",
            "relay_vs_bare_ratio",
            ("events/s", "events/s"),
        ),
    ),
    Target(
        "ingest",
        "Warehouse ingest, JetStream → `raw.events`",
        "≥ 0.7×",
        _loop_ratio(
            "ingest_rows_per_s_median",
            "bare_fetch_ack_msgs_per_s_median",
            "bare fetch + ack loop",
            "ingest_vs_bare_ratio",
            ("rows/s", "messages/s"),
        ),
    ),
    Target("dbt_build", "dbt pass after one more day, as the pipeline runs it", "≤ 0.2×", _dbt_build),
    Target("freshness", "RPE logged → visible in the stats API, a write a second", "p95 ≤ 5 s", _freshness_p95),
    Target("freshness", "the same writes, the slowest", "slowest ≤ 15 s", _freshness_slowest),
    Target("stats", "Team load board, stats API, a season of 100 teams", "p95 < 50 ms", _board),
    Target("footprint", "Whole `make up` stack idle", "≤ 1 GiB", _footprint),
    Target("growth", "Ingest, dbt, board against the league's size (log-log slope)", "linear or better", _growth),
    Target("growth", "Team board at the largest size", "p95 < 50 ms", _growth_board),
    Target(
        "calendar_worst_input",
        "Calendar `/healthz` while clients send its worst inputs",
        "p99 < 50 ms",
        _calendar_worst_input,
    ),
    Target("tracing", "Relay CPU with tracing configured but off", "≥ 0.97×", _tracing),
    Target("make_bench", "The whole `make bench` run", "< 20 min", _make_bench),
    Target("faults", "Writes under kill -9 of parts of the stack (on request)", "0 lost, 0 duplicated", _faults),
    Target("soak", "Ten minutes of mixed load on the stack (on request)", "0 errors, memory flat", _soak),
    Target("nats_memory", "nats-server memory at a steady rate (on request)", "flat within 10 %", _nats_memory),
)


def _load(results_dir: Path, name: str) -> dict | None:
    """The result's payload, or None when there is none or it comes from a quick run (a smoke run's sizes)."""
    path = results_dir / f"{name}.json"
    if not path.exists():
        return None
    payload = json.loads(path.read_text())
    if payload.get("quick") or payload.get("figures", {}).get("quick"):
        return None
    return payload


def _measured(payload: dict) -> str:
    """The date, with the load average when the benchmark recorded it (figures from a shared machine need it)."""
    figures = payload["figures"]
    load = next((figures[key] for key in LOAD_KEYS if isinstance(figures.get(key), int | float)), None)
    if load is None and payload.get("machine", {}).get("load_average"):
        load = payload["machine"]["load_average"][1]  # the last five minutes of the run
    return payload["measured_at"][:10] + (f", load {load:.1f}" if load is not None else "")


def _verdict(met: bool | None) -> str:
    if met is None:
        return "no verdict"
    return "met" if met else "**missed**"


def row(target: Target, payload: dict | None) -> list[str]:
    """One table row; "not measured" when the result is missing, quick or lacks a figure this row needs."""
    name = f"`{target.benchmark}`"
    if payload is not None:
        try:
            reading = target.read(payload["figures"])
        except (KeyError, TypeError, IndexError, ValueError, ZeroDivisionError):
            reading = None
        if reading is not None:
            cells = [reading.figure, reading.baseline, reading.ratio, reading.target, _verdict(reading.met)]
            return [name, target.measures, *cells, _measured(payload)]
    return [name, target.measures, "not measured", NONE, NONE, target.target, "not measured", NONE]


def table(results_dir: Path) -> str:
    head = ["benchmark", "what is measured", "figure", "baseline, same run", "ratio", "target", "met", "measured"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    payloads = {name: _load(results_dir, name) for name in {t.benchmark for t in TARGETS}}
    for target in TARGETS:
        lines.append("| " + " | ".join(row(target, payloads[target.benchmark])) + " |")
    lines.append("")
    lines.append(
        "Written by `python -m bench.performance_report` from `bench/results/*.json`; "
        "ratios are the figure over its baseline (for latencies, how many times slower)."
    )
    return "\n".join(lines)


def write_report(results_dir: Path | None = None, readme: Path | None = None) -> None:
    """Rewrite the README's performance table from the result files (by default HUB_BENCH_RESULTS_DIR's)."""
    results_dir = results_dir or ResultSettings().results_dir
    replace_between(readme or ROOT / "README.md", START, END, table(results_dir))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.performance_report")
    parser.add_argument("--results-dir", type=Path, default=ResultSettings().results_dir)
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    args = parser.parse_args(argv)
    write_report(args.results_dir, args.readme)


if __name__ == "__main__":
    main()
