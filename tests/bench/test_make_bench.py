"""`make bench` records how long it took, benchmark by benchmark, against its 20-minute bound."""

from __future__ import annotations

import json

from bench import __main__ as bench_main


def test_the_duration_of_a_whole_run_is_written_with_its_target(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_BENCH_RESULTS_DIR", str(tmp_path))
    monkeypatch.delenv("HUB_BENCH_QUICK", raising=False)

    bench_main._write_duration({"api": 60.0, "growth": 700.0}, ["api"])
    written = json.loads((tmp_path / "make_bench.json").read_text())["figures"]
    assert written["total_minutes"] == 12.7 and written["target_met"] and written["failed"] == ["api"]

    bench_main._write_duration({"api": 60.0, "growth": 1200.0}, [])
    assert not json.loads((tmp_path / "make_bench.json").read_text())["figures"]["target_met"]
