"""Where benchmark results go: bench/results/<name>.json, with when and where they were measured."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

RESULTS_DIR = Path(__file__).parent / "results"


class ResultSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_BENCH_", extra="ignore")

    results_dir: Path = Field(RESULTS_DIR, description="Where result files go (a smoke test points it elsewhere)")


def write_result(name: str, figures: dict) -> Path:
    results_dir = ResultSettings().results_dir
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}.json"
    payload = {
        "benchmark": name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
            # 1, 5 and 15 minutes, as the run ends: the figures of a shared machine are read with it
            "load_average": [round(load, 2) for load in os.getloadavg()],
        },
        "figures": figures,
    }
    path.write_text(json.dumps(payload, indent=2) + "\n")
    return path
