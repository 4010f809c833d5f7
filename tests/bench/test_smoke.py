"""Every benchmark module loads, and the two that need no full stack run end to end at their smallest size."""

from __future__ import annotations

import importlib
import json

import pytest

from bench.__main__ import BENCHMARKS


@pytest.mark.parametrize("name", BENCHMARKS)
def test_every_benchmark_has_a_main_that_takes_its_options(name):
    module = importlib.import_module(f"bench.{name}")
    assert callable(module.main)


@pytest.fixture
def results_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_BENCH_RESULTS_DIR", str(tmp_path))
    return tmp_path


def test_the_relay_benchmark_relays_every_outbox_row_and_writes_its_figures(results_dir, capsys):
    from bench import relay

    result = relay.main(["--events", "300", "--batch-size", "100"])
    assert result["relayed"] == result["events"] == 300
    assert json.loads((results_dir / "relay.json").read_text())["figures"]["relay_events_per_s"] > 0
    assert "bare publish_async loop (baseline)" in capsys.readouterr().out


def test_the_ingest_benchmark_lands_every_event_in_the_warehouse(results_dir):
    from bench import ingest

    result = ingest.main(["--teams", "1", "--players", "2", "--days", "7", "--rounds", "1"])
    assert result["raw_rows"] == result["events"] > 0
    assert (results_dir / "ingest.json").exists()


def test_the_ingest_batch_benchmark_times_every_way_and_leaves_no_event_twice(results_dir):
    from bench import ingest_batch

    result = ingest_batch.main(["--sizes", "0,3000", "--batches", "2"])
    for figures in result["ms_per_batch_median"].values():
        assert figures.pop("rows_doubled") == 0
        assert set(figures) == {"load_events", "anti_join", "plain_pk", "plain_no_pk", "redelivery"}
        assert all(ms > 0 for ms in figures.values())
    assert (results_dir / "ingest_batch_duckdb.json").exists()


def test_the_calendar_worst_input_benchmark_times_healthz_under_it_and_says_whether_it_met_its_target(results_dir):
    from bench import calendar_worst_input

    result = calendar_worst_input.main(["--seconds", "2", "--series", "1", "--clients", "1"])
    assert result["requests"]["FREQ=SECONDLY;COUNT=100000"]["statuses"] == [422]
    assert result["requests"]["a rule that never matches"]["statuses"] == [422]
    assert result["requests"]["RSVP two years ahead"]["statuses"] == [200]
    assert result["requests"]["RSVP ten years ahead"]["statuses"] == [404]
    assert result["healthz_samples"] > 0
    written = json.loads((results_dir / "calendar_worst_input.json").read_text())["figures"]
    assert written["target_met"] == (written["healthz_loaded_p99_ms"] < written["target_p99_ms"])


def test_the_tracing_benchmark_relays_every_row_in_each_variant(results_dir):
    # its baseline relay overrides the relay's publish, so it breaks whenever the shape of a claimed row changes
    from bench import tracing

    result = tracing.main(["--events", "200", "--rounds", "1"])
    assert set(result["all_samples"]) == {"untraced", "off", "on"}
    assert all(len(samples) == 1 for samples in result["all_samples"].values())
    assert (results_dir / "tracing.json").exists()
