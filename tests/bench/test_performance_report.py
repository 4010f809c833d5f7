"""The README's performance table follows the result files: a met and a missed target, and what was not measured."""

from __future__ import annotations

import re

import pytest

from bench import performance_report
from bench.results import write_result

# what bench/relay.py and bench/dbt_build.py write, cut to the figures a row reads
RELAY = {
    "events": 20000,
    "relayed": 20000,
    "relay_events_per_s": 22397,
    "bare_publish_events_per_s": 20824,
    "relay_vs_bare_ratio": 1.076,
    "target_min_ratio": 0.7,
    "target_met": True,
}
DBT_BUILD = {
    "load_average_1min": 1.8,
    "full_build_s": 7.75,
    "build_after_one_more_day_s": 3.86,
    "incremental_vs_full_ratio": 0.498,
    "target_max_ratio": 0.2,
    "target_met": False,
}


@pytest.fixture
def readme(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_BENCH_RESULTS_DIR", str(tmp_path / "results"))
    path = tmp_path / "README.md"
    path.write_text(f"# before\n\n{performance_report.START}\nold table\n{performance_report.END}\n\nafter\n")
    return path


def _row(text: str, benchmark: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"| `{benchmark}` |"))


def test_the_table_shows_a_met_and_a_missed_target_and_leaves_the_rest_of_the_file_alone(readme, tmp_path):
    write_result("relay", RELAY)
    write_result("dbt_build", DBT_BUILD)

    performance_report.write_report(readme=readme)

    text = readme.read_text()
    assert "old table" not in text
    assert text.startswith(f"# before\n\n{performance_report.START}\n")
    assert text.endswith(f"\n{performance_report.END}\n\nafter\n")
    relay = _row(text, "relay")
    assert relay.startswith(
        "| `relay` | Outbox relay, Postgres → JetStream | 22,397 events/s | bare publish_async loop 20,824 events/s "
        "| 1.08× | ≥ 0.7× | met | 20"
    )
    # the load average as the run ended, which every result records, when the benchmark kept none of its own
    assert re.search(r", load \d+\.\d \|$", relay)
    dbt = _row(text, "dbt_build")
    assert "| 3.86 s | the pipeline's full build 7.75 s | 0.50× | ≤ 0.2× | **missed** |" in dbt
    assert dbt.endswith(", load 1.8 |")

    performance_report.write_report(readme=readme)  # a second run replaces the table, not adds to it
    assert readme.read_text() == text


def test_missing_quick_or_incomplete_results_are_not_measured(readme):
    write_result("make_bench", {"quick": True, "total_minutes": 2.1, "target_max_minutes": 20, "target_met": True})
    write_result("ingest", {"ingest_rows_per_s_median": 14412})  # a result written before its other figures existed

    performance_report.write_report(readme=readme)

    text = readme.read_text()
    for benchmark in ("make_bench", "ingest", "api", "soak"):
        assert "| not measured |" in _row(text, benchmark)
        assert "met" not in _row(text, benchmark).replace("not measured", "")
    assert len([line for line in text.splitlines() if "| not measured |" in line]) == len(performance_report.TARGETS)
