"""A pipeline pass leaves out the marts' not_null tests (``PIPELINE_EXCLUDE``) because the warehouse itself refuses
a null in those columns: each sits in an enforced contract that declares it NOT NULL. These tests keep that true,
for every mart as declared and in the tables dbt builds, incremental ones included."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.dbt_build import PIPELINE_EXCLUDE, invoke_dbt
from tests.pipelines.dbt_project import marts_data_tests, unenforced


def test_the_pass_leaves_out_only_not_null_tests_a_contract_enforces():
    assert "test_name:not_null" in PIPELINE_EXCLUDE.split()
    tests = marts_data_tests("not_null")
    assert len(tests) >= 30  # every mart's key at least
    unenforced_tests = unenforced(tests, "not_null")
    assert unenforced_tests == [], "not_null tests on columns without an enforced NOT NULL constraint"


def test_the_built_marts_refuse_nulls_where_the_tests_are_left_out(warehouse):
    assert invoke_dbt(["run"]).success
    # an incremental run inserts into the table the first one created: the constraint must hold there too
    incremental = invoke_dbt(["run", "--select", "config.materialized:incremental"])
    assert incremental.success
    assert len(incremental.result.results) >= 2

    columns = {(model.name, column) for model, column in marts_data_tests("not_null").values()}
    with duckdb.connect(str(warehouse.path), read_only=True) as conn:
        nullable = {
            (table, column): is_nullable
            for table, column, is_nullable in conn.execute(
                "SELECT table_name, column_name, is_nullable FROM information_schema.columns "
                "WHERE table_schema = 'marts'"
            ).fetchall()
        }
    assert {key: nullable.get(key) for key in columns} == dict.fromkeys(columns, "NO")

    with duckdb.connect(str(warehouse.path)) as conn, pytest.raises(duckdb.ConstraintException):
        conn.execute("INSERT INTO marts.fct_player_daily_load (player_day_id) VALUES (NULL)")
