"""The growth benchmark's parts: the league through NATS into raw.events, the dbt process that builds every size, the
growth fit and the report it writes.

The full run (three leagues, two dbt builds each) takes minutes, so it runs under ``make bench`` only; these check
what it is made of on a real NATS, DuckDB and dbt, and that the report follows the results file.
"""

from __future__ import annotations

import asyncio
import math

import duckdb
import pytest

from bench import growth, growth_dbt, growth_report
from bench.common import infra
from bench.results import write_result
from hub.league import LeagueSize, league_events, plan_league


def test_a_league_goes_through_nats_into_raw_events_and_one_more_day_after_it(tmp_path):
    league = plan_league(LeagueSize(orgs=1, teams=1, players=3, days=4), seed=17)
    events = list(league_events(league))
    history = [e for e in events if e.occurred_at.date() < league.end_date]
    last_day = [e for e in events if e.occurred_at.date() >= league.end_date]
    assert history and last_day
    warehouse = tmp_path / "hub.duckdb"
    with infra(postgres=False) as servers:
        first = asyncio.run(growth._load_through_nats(servers.nats_url, iter(history), warehouse, tmp_path))
        more = asyncio.run(growth._load_through_nats(servers.nats_url, last_day, warehouse, tmp_path))
    assert first["raw_rows"] == len(history)
    assert more["raw_rows"] == len(events)
    assert first["ingest_s"] > 0


def test_resetting_the_peak_resident_memory_forgets_what_was_freed_before():
    assert growth_dbt.peak_reset_failure() is None
    touched = bytearray(96 * 2**20)
    for offset in range(0, len(touched), 4096):
        touched[offset] = 1
    del touched
    before = growth_dbt._memory_kib()["VmHWM"]
    assert growth_dbt.reset_peak_rss() is None
    assert growth_dbt._memory_kib()["VmHWM"] < before - 64 * 1024


def _split(league) -> tuple[list, list]:
    events = list(league_events(league))
    return [e for e in events if e.occurred_at.date() < league.end_date], [
        e for e in events if e.occurred_at.date() >= league.end_date
    ]


def test_one_dbt_process_builds_each_fresh_warehouse_file_and_leaves_it_unlocked_between_builds(tmp_path):
    warehouse = tmp_path / "hub.duckdb"
    with growth_dbt.dbt_worker(warehouse) as dbt:
        assert dbt.ready["peak_rss_unavailable"] is None
        for players in (3, 2):  # the second league is another file at the same path, as the benchmark's sizes are
            warehouse.unlink(missing_ok=True)
            history, last_day = _split(plan_league(LeagueSize(orgs=1, teams=1, players=players, days=4), seed=17))
            with infra(postgres=False) as servers:
                # the parent's ingest opens the file while the dbt process is idle: it holds no lock on it
                asyncio.run(growth._load_through_nats(servers.nats_url, iter(history), warehouse, tmp_path))
                # a full build plans from this file's (empty) build record: a connection kept on the deleted file
                # would find the first league's record there and refuse
                full = dbt.build(warehouse, "full")
                asyncio.run(growth._load_through_nats(servers.nats_url, last_day, warehouse, tmp_path))
                incremental = dbt.build(warehouse, "incremental")
            assert full["select"] is None and incremental["select"]
            assert full["peak_rss_mib"] > 100 and incremental["peak_rss_mib"] > 100  # dbt and the manifest in it
            with duckdb.connect(str(warehouse)) as conn:
                players_built = conn.execute("SELECT count(DISTINCT player_id) FROM marts.fct_player_daily_load")
                assert players_built.fetchone()[0] == players


def test_the_growth_exponent_is_the_log_log_slope():
    events = [1e5, 3e5, 1e6]
    assert growth.growth_exponent(events, [2.0 * e for e in events]) == pytest.approx(1.0)
    assert growth.growth_exponent(events, [5.0, 5.0, 5.0]) == pytest.approx(0.0)
    assert growth.growth_exponent(events, [e**2 for e in events]) == pytest.approx(2.0)
    assert math.isnan(growth.growth_exponent([1e5], [3.0]))


def _size(events: int, scale: float) -> dict:
    return {"clubs": events // 100, "events": events, **{name: scale * events / 1000 for name in growth.FIGURES}}


def test_a_figure_growing_faster_than_linearly_misses_its_target_with_a_reason(monkeypatch):
    sizes = [_size(1000, 1.0), _size(3000, 1.0), _size(10000, 1.0)]
    for s in sizes:
        s["dbt_full_s"] = (s["events"] / 1000) ** 1.5
    monkeypatch.setitem(growth.REASONS, "dbt_full_s", "a window over every row")
    fitted = growth.fit(sizes)
    assert fitted["ingest_s"]["target_met"] and fitted["ingest_s"]["growth_exponent"] == pytest.approx(1.0)
    assert fitted["ingest_s"]["per_million_events"] == [1000.0, 1000.0, 1000.0]
    assert not fitted["dbt_full_s"]["target_met"]
    assert fitted["dbt_full_s"]["reason"] == "a window over every row"


def test_the_report_writes_the_plot_and_replaces_the_readme_table(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_BENCH_RESULTS_DIR", str(tmp_path))
    sizes = [_size(1000, 1.0), _size(3000, 1.0)]
    league = {"clubs": [10, 30], "teams_per_club": 10, "players_per_team": 25, "days": 280}
    results = write_result("growth", {"league": league, "sizes": sizes, "growth": growth.fit(sizes), "seconds": 9})
    readme = tmp_path / "README.md"
    readme.write_text(f"# before\n{growth_report.START}\nold table\n{growth_report.END}\nafter\n")
    svg = tmp_path / "growth.svg"

    growth_report.write_report(results, svg, readme)

    text = readme.read_text()
    assert "old table" not in text and text.startswith("# before") and text.endswith("after\n")
    assert "| pipeline's dbt build from scratch (s) | 1.0 | 3.0 | 1.00 | yes |" in text
    assert svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()


def test_a_figure_not_measured_at_some_size_is_not_fitted_and_says_so():
    sizes = [_size(1000, 1.0), _size(3000, 1.0)]
    sizes[1]["dbt_full_peak_rss_mib"] = None  # a peak memory that could not be reset on that machine
    fitted = growth.fit(sizes)
    assert fitted["dbt_full_peak_rss_mib"] == {
        "growth_exponent": None,
        "target_met": False,
        "reason": "not measured in this run",
    }
    assert fitted["dbt_full_s"]["target_met"]
