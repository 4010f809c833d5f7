"""A pipeline pass leaves out the marts' unique tests (``PIPELINE_EXCLUDE``) because the warehouse itself refuses a
second row with the same key: each tested column is its mart's primary key in an enforced contract. These tests keep
that true, for every mart as declared and in the tables dbt builds, incremental ones included (an incremental run
deletes and inserts rows of the same keys in one transaction, which the key must let through)."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.dbt_build import PIPELINE_EXCLUDE, invoke_dbt
from tests.pipelines.dbt_project import marts_data_tests, unenforced


def test_the_pass_leaves_out_only_unique_tests_a_primary_key_enforces():
    assert "test_name:unique" in PIPELINE_EXCLUDE.split()
    tests = marts_data_tests("unique")
    assert len(tests) >= 30  # every mart's key
    unenforced_tests = unenforced(tests, "primary_key")
    assert unenforced_tests == [], "unique tests on columns that are not an enforced primary key"


def test_the_built_marts_refuse_a_second_row_of_a_key(warehouse):
    assert invoke_dbt(["run"]).success
    # an incremental run inserts into the table the first one created, and a table built again replaces the one
    # with the key: both keep it (tests/pipelines/test_incremental_marts.py and test_dbt_selection.py run the
    # incremental marts' delete-and-insert of the same keys on a season's events)
    again = invoke_dbt(["run", "--select", "config.materialized:incremental", "dim_teams"])
    assert again.success, again.exception or again.failed_nodes
    assert len(again.result.results) >= 3

    keys = {(model.name, column) for model, column in marts_data_tests("unique").values()}
    with duckdb.connect(str(warehouse.path), read_only=True) as conn:
        primary_keys = {
            (table, columns[0])
            for table, columns in conn.execute(
                "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                "WHERE schema_name = 'marts' AND constraint_type = 'PRIMARY KEY'"
            ).fetchall()
            if len(columns) == 1
        }
    assert sorted(keys - primary_keys) == []

    with duckdb.connect(str(warehouse.path)) as conn, pytest.raises(duckdb.ConstraintException):
        conn.execute("INSERT INTO marts.dim_teams (team_id, org_id) VALUES ('t1', 'o1'), ('t1', 'o1')")
