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
