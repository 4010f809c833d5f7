"""`make bench` records how long it took, benchmark by benchmark, against its 20-minute bound."""

from __future__ import annotations

import json
import sys

import pytest

from bench import __main__ as bench_main


def test_the_duration_of_a_whole_run_is_written_with_its_target(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_BENCH_RESULTS_DIR", str(tmp_path))
    monkeypatch.delenv("HUB_BENCH_QUICK", raising=False)

    bench_main._write_duration({"api": 60.0, "growth": 700.0}, ["api"])
    written = json.loads((tmp_path / "make_bench.json").read_text())["figures"]
    assert written["total_minutes"] == 12.7 and written["target_met"] and written["failed"] == ["api"]

    bench_main._write_duration({"api": 60.0, "growth": 1200.0}, [])
    assert not json.loads((tmp_path / "make_bench.json").read_text())["figures"]["target_met"]


def test_a_whole_run_prints_a_line_per_benchmark_and_writes_the_durations_even_when_one_fails(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("HUB_BENCH_RESULTS_DIR", str(tmp_path))
    monkeypatch.setenv("HUB_BENCH_QUICK", "1")
    # two stand-ins for benchmarks: this is about the loop around them, whose real members take minutes each
    monkeypatch.setattr(bench_main, "BENCHMARKS", ("broken", "fine"))

    def run(name, argv=None):
        if name == "broken":
            raise RuntimeError("no figures")

    monkeypatch.setattr(bench_main, "run", run)
    monkeypatch.setattr(sys, "argv", ["bench"])

    with pytest.raises(SystemExit, match="failed: broken"):
        bench_main.main()

    out = capsys.readouterr().out
    assert "== broken (1 of 2, 0.0 min so far)" in out and "== fine (2 of 2, 0.0 min so far)" in out
    assert "broken failed: RuntimeError: no figures" in out
    written = json.loads((tmp_path / "make_bench_quick.json").read_text())["figures"]
    assert set(written["seconds_each"]) == {"broken", "fine"} and written["failed"] == ["broken"]


def test_the_dbt_invocation_comparison_runs_on_request_only():
    assert "dbt_invocation" in bench_main.ON_REQUEST and "dbt_invocation" not in bench_main.BENCHMARKS
