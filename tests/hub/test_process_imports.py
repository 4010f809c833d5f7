"""What each long-running process holds in memory from its imports (the idle stack's budget is 1 GiB PSS).

Python keeps every module it imported for the life of the process, so a library imported at module level by code
that rarely runs (a PDF, the admin status page) is paid for by every API and worker process all day long. Each row
names a process's entry module and the heavy libraries it must not import at start; they are imported where used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("duckdb", "polars", "pyarrow", "pandas", "fpdf", "PIL", "dagster", "dbt", "streamlit", "plotly", "scipy")
HEAVY += ("pywebpush",)  # web push and its HTTP client, only while a notification goes out

GREAT_EXPECTATIONS = ("great_expectations", "pandas", "scipy", "altair", "fpdf", "streamlit", "plotly")

CASES = {
    # `hub up` supervises; migrating and seeding run in a child (hub/prepare.py)
    "hub up": ("hub.runtime", ("fastapi", "sqlalchemy", "operational", *HEAVY)),
    "the API (gateway)": ("operational.gateway", HEAVY),
    "the worker": ("operational.worker", HEAVY),
    # the stats API needs its warehouse engine (DuckDB or Postgres); SciPy only for a return-to-play curve
    "the stats API": ("operational.stats.app", ("scipy", "pandas", "fpdf", "dagster", "dbt", "streamlit", "plotly")),
    # the pipeline needs Dagster, dbt, DuckDB and pyarrow for every pass; Great Expectations (with pandas and SciPy)
    # runs in a child process of its own (pipelines/expectations_process.py), which gets the rows as an Arrow table
    "the pipeline": ("pipelines.runner", (*GREAT_EXPECTATIONS, "polars")),
}


def _imported(module: str, then: str = "") -> set[str]:
    code = f"import json, os, sys, {module}\n{then}\nprint(json.dumps(sorted(sys.modules)), flush=True)\nos._exit(0)"
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    return {name.split(".")[0] for name in json.loads(out)}


@pytest.mark.parametrize("process", sorted(CASES))
def test_a_long_running_process_does_not_import_what_it_rarely_needs(process):
    module, forbidden = CASES[process]
    imported = _imported(module)
    assert not imported & set(forbidden), f"{process} ({module}) imports {sorted(imported & set(forbidden))}"


def test_the_pipeline_holds_no_great_expectations_after_its_start():
    # its start-up loads the job and parses the dbt project, and starts the check's own process, where Great
    # Expectations is imported (closed here before it is done: only this process's modules are looked at)
    start = (
        "from pipelines.runner import load_job, warm_up; from pipelines.expectations_process import shared_process; "
        "load_job(); warm_up(); shared_process().close()"
    )
    imported = _imported("pipelines.runner", then=start)
    assert "dagster" in imported and "dbt" in imported
    forbidden = {*GREAT_EXPECTATIONS, "polars"}
    assert not imported & forbidden, f"the pipeline imports {sorted(imported & forbidden)}"
