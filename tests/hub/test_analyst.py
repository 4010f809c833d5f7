"""The analysts' way in: `hub sql` and `hub docs` on a snapshot the real pipeline built, and the README's examples."""

from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from hub.analyst import run_statement, shell
from hub.components import plan_components
from hub.settings import RuntimeSettings
from pipelines.definitions import defs
from tests.hub.processes import run_hub
from tests.pipelines.season import generate_season
from tests.pipelines.streams import publish
from warehouse.serving import stable_path

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_sql_examples() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", README.read_text(), flags=re.DOTALL)


def _hub_env(pipeline_env, tmp_path) -> dict[str, str]:
    return {"HUB_SERVING_DIR": str(pipeline_env.serving_dir), "HUB_VAR_DIR": str(tmp_path / "var")}


def test_analysts_query_the_built_snapshot_as_the_readme_shows(pipeline_env, tmp_path, capsys):
    publish(pipeline_env.nats_url, generate_season().events)
    assert defs().resolve_job_def("warehouse_job").execute_in_process(instance=dg.DagsterInstance.ephemeral()).success

    # every example of the README runs, as written, on the stable path, and finds rows
    examples = readme_sql_examples()
    assert len(examples) >= 5
    with duckdb.connect(str(stable_path(pipeline_env.serving_dir)), read_only=True) as conn:
        for example in examples:
            cursor = conn.execute(example)
            assert cursor.fetchall(), example
        # the columns carry their dbt descriptions
        described = conn.execute("SELECT count(*) FROM meta.columns WHERE description IS NOT NULL").fetchone()[0]
        assert described > 100

    # hub sql -c prints a table, or CSV; a wrong query is one line and a non-zero exit
    query = "SELECT player_name FROM marts.dim_players ORDER BY player_name"
    table = run_hub("sql", "-c", query, env=_hub_env(pipeline_env, tmp_path))
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0] == "player_name"
    assert table.stdout.splitlines()[2:] == ["Alva Persson", "Elin Berg", "Hugo Larsson", "Noah Karlsson", "(4 rows)"]
    csv = run_hub("sql", "-c", query, "--format", "csv", env=_hub_env(pipeline_env, tmp_path))
    assert csv.stdout.splitlines() == ["player_name", "Alva Persson", "Elin Berg", "Hugo Larsson", "Noah Karlsson"]
    wrong = run_hub("sql", "-c", "SELECT nothing FROM marts.dim_players", env=_hub_env(pipeline_env, tmp_path))
    assert wrong.returncode == 1
    assert wrong.stderr.startswith("hub: error: the query failed:") and len(wrong.stderr.splitlines()) == 1

    # the interactive shell: commands, a statement over two lines, an error that does not end the session
    with duckdb.connect(str(stable_path(pipeline_env.serving_dir)), read_only=True) as conn:
        lines = iter([".tables", "SELECT count(*) AS teams", "FROM marts.dim_teams;", "SELECT nope;", ".quit"])
        shell(conn, stable_path(pipeline_env.serving_dir), "table", read=lambda _prompt: next(lines))
    out = capsys.readouterr().out
    assert "fct_player_load_metrics" in out and "teams\n-----\n2\n(1 row)" in out and "error: the query failed" in out

    # hub docs writes one self-contained page with the models' descriptions
    docs = run_hub("docs", "--no-serve", env=_hub_env(pipeline_env, tmp_path), timeout=240)
    assert docs.returncode == 0, docs.stderr
    page = Path(docs.stdout.strip().removeprefix("docs: "))
    assert page.name == "static_index.html"
    assert "Former player" in page.read_text()


def test_without_a_snapshot_hub_sql_says_what_to_do(tmp_path):
    result = run_hub("sql", "-c", "SELECT 1", env={"HUB_SERVING_DIR": str(tmp_path / "serving")})
    assert result.returncode == 1
    assert "no serving snapshot in" in result.stderr and "hub up" in result.stderr


def test_csv_leaves_nulls_empty():
    import io

    out = io.StringIO()
    with duckdb.connect() as conn:
        run_statement(conn, "SELECT 1 AS a, NULL AS b", out, "csv")
    assert out.getvalue() == "a,b\n1,\n"


@pytest.mark.parametrize("asked", [True, False])
def test_hub_up_starts_the_dagster_ui_on_request(tmp_path, asked):
    settings = RuntimeSettings(var_dir=tmp_path, dagster_ui=asked)
    plan = plan_components(settings, database_url="postgresql://x/y", nats_url="nats://x", base_env={})
    children = {child.name: child for child in plan.children}
    assert ("dagster" in children) is asked
    if asked:
        assert children["dagster"].argv[1:5] == ["-m", "dagster_webserver", "-m", "pipelines.definitions"]
        assert children["dagster"].env["HUB_PIPELINE_RECORD_RUNS"] == "true"
        assert plan.urls["dagster"].startswith("http://127.0.0.1:")
