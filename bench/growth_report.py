"""The growth benchmark's plot and README table, written from bench/results/growth.json so they stay in step.

``docs/growth.svg``: every figure against the number of events, log-log, with a dotted linear reference through
each figure's smallest size (a line steeper than its reference grows faster than linearly). The README's table sits
between the markers ``<!-- growth:start -->`` and ``<!-- growth:end -->`` and is replaced whole.

    python -m bench.growth_report [--results bench/results/growth.json --svg docs/growth.svg --readme README.md]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.markers import replace_between
from bench.results import RESULTS_DIR

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- growth:start -->", "<!-- growth:end -->"
# Same figures and labels as bench/growth.py (kept here too so that drawing never runs the benchmark's imports).
LABELS = {
    "ingest_s": ("s", "ingest NATS → raw.events"),
    "dbt_full_s": ("s", "pipeline's dbt build from scratch"),
    "dbt_full_peak_rss_mib": ("MiB", "peak RSS, that build"),
    "dbt_incremental_s": ("s", "pipeline's dbt pass after one more day"),
    "dbt_incremental_peak_rss_mib": ("MiB", "peak RSS, that pass"),
    "board_p95_ms": ("ms", "stats API team board p95"),
    "healthz_p95_ms": ("ms", "stats API /healthz p95 (baseline)"),
}


def table(payload: dict) -> str:
    """A Markdown table: one row per figure, one column per size, the growth exponent and its verdict."""
    figures = payload["figures"]
    sizes, growth = figures["sizes"], figures["growth"]
    head = ["figure", *(f"{s['clubs']} club{'s' if s['clubs'] > 1 else ''}, {s['events']:,} events" for s in sizes)]
    head += ["growth exponent", "linear or better"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, (unit, label) in LABELS.items():
        g = growth[name]
        verdict = "yes" if g["target_met"] else f"no: {g.get('reason', '')}"
        cells = [f"{label} ({unit})", *(f"{s[name]:,}" for s in sizes), f"{g['growth_exponent']:.2f}", verdict]
        lines.append("| " + " | ".join(cells) + " |")
    league = figures["league"]
    lines.append("")
    lines.append(
        f"Measured {payload['measured_at'][:10]} on {payload['machine']['cpus']} CPUs: clubs of "
        f"{league['teams_per_club']} teams × {league['players_per_team']} players × {league['days']} days, "
        f"sizes {', '.join(str(c) for c in league['clubs'])} clubs, {figures['seconds']:.0f} s in all. "
        "Exponent: least-squares slope of log(figure) on log(events); 1 is linear, 0 constant."
    )
    return "\n".join(lines)


def plot(payload: dict, svg: Path) -> None:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    figures = payload["figures"]
    sizes = figures["sizes"]
    events = [s["events"] for s in sizes]
    units = sorted({unit for unit, _ in LABELS.values()})
    fig, axes = plt.subplots(1, len(units), figsize=(5 * len(units), 4.2))
    for ax, unit in zip(axes, units, strict=True):
        for name, (figure_unit, label) in LABELS.items():
            if figure_unit != unit:
                continue
            values = [s[name] for s in sizes]
            exponent = figures["growth"][name]["growth_exponent"]
            (line,) = ax.plot(events, values, marker="o", label=f"{label} (×n^{exponent:.2f})")
            ax.plot(events, [values[0] * e / events[0] for e in events], ":", color=line.get_color(), linewidth=1)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("events in the warehouse")
        ax.set_ylabel(unit)
        ax.grid(True, which="both", linewidth=0.3)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("Growth with the league (dotted: linear from the smallest size)", fontsize=10)
    fig.tight_layout()
    svg.parent.mkdir(parents=True, exist_ok=True)
    # a fixed hash salt and no date keep the file byte-for-byte the same for the same results
    plt.rcParams["svg.hashsalt"] = "growth"
    fig.savefig(svg, format="svg", metadata={"Date": None})
    plt.close(fig)


def update_readme(readme: Path, text: str) -> None:
    """Replace what is between the growth markers (which must be there) with ``text``."""
    replace_between(readme, START, END, text)


def write_report(
    results: Path = RESULTS_DIR / "growth.json", svg: Path = ROOT / "docs" / "growth.svg", readme: Path | None = None
) -> None:
    payload = json.loads(results.read_text())
    plot(payload, svg)
    update_readme(readme or ROOT / "README.md", table(payload))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.growth_report")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR / "growth.json")
    parser.add_argument("--svg", type=Path, default=ROOT / "docs" / "growth.svg")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    args = parser.parse_args(argv)
    write_report(args.results, args.svg, args.readme)


if __name__ == "__main__":
    main()
