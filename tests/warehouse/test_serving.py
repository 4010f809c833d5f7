"""Serving snapshots as analysts use them: one stable path, the docs inside, and kept while someone reads them."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from warehouse.serving import current_snapshot, in_use, publish_snapshot, stable_path


@pytest.fixture
def marts(tmp_path: Path):
    conn = duckdb.connect(str(tmp_path / "hub.duckdb"))
    conn.execute("CREATE SCHEMA marts")
    conn.execute("CREATE TABLE marts.fct_example (player_id VARCHAR, load_au BIGINT)")
    conn.execute("COMMENT ON TABLE marts.fct_example IS 'One row per player: it''s an example.'")
    conn.execute("COMMENT ON COLUMN marts.fct_example.load_au IS 'Session-RPE load (AU).'")
    conn.execute("INSERT INTO marts.fct_example VALUES ('p1', 570)")
    yield conn
    conn.close()


def _publish(conn, serving_dir: Path, **kwargs) -> Path:
    return publish_snapshot(conn, serving_dir, ["marts.fct_example"], **kwargs)


def test_current_duckdb_is_always_the_current_snapshot_with_its_docs(marts, tmp_path):
    serving = tmp_path / "serving"
    for load in (570, 600):
        marts.execute("UPDATE marts.fct_example SET load_au = ?", [load])
        published = _publish(marts, serving)
        assert stable_path(serving).stat().st_ino == published.stat().st_ino == current_snapshot(serving).stat().st_ino

    with duckdb.connect(str(stable_path(serving)), read_only=True) as reader:
        assert reader.execute("SELECT load_au FROM marts.fct_example").fetchall() == [(600,)]
        assert reader.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'fct_example'").fetchone() == (
            "One row per player: it's an example.",
        )
        assert reader.execute(
            "SELECT description FROM meta.columns WHERE table_name = 'fct_example' AND column_name = 'load_au'"
        ).fetchone() == ("Session-RPE load (AU).",)
        assert reader.execute("SELECT table_schema, table_name FROM meta.tables").fetchall() == [
            ("marts", "fct_example")
        ]


HOLD = """
import sys, time, duckdb
conn = duckdb.connect(sys.argv[1], read_only=True)
conn.execute("SELECT count(*) FROM marts.fct_example").fetchall()
print("reading", flush=True)
sys.stdin.readline()
"""


def test_a_snapshot_someone_reads_stays_until_they_are_done(marts, tmp_path):
    """Another process (an analyst's long query) holds the snapshot of the moment: publishing goes on, and the file
    is removed only once the reader has let go. Without a reader old snapshots go (here at once: no grace)."""
    serving = tmp_path / "serving"
    first = _publish(marts, serving, keep=1, grace_seconds=0)
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(stable_path(serving))], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert reader.stdout.readline().strip() == "reading"
        assert in_use(first)
        later = [_publish(marts, serving, keep=1, grace_seconds=0) for _ in range(4)]
        assert first.exists(), "the snapshot being read was removed"
        assert [p.exists() for p in later] == [False, False, False, True]
    finally:
        reader.communicate("done\n", timeout=30)
    assert not in_use(first)
    _publish(marts, serving, keep=1, grace_seconds=0)
    assert not first.exists()


def test_young_snapshots_are_kept_for_the_grace_period(marts, tmp_path):
    serving = tmp_path / "serving"
    published = [_publish(marts, serving, keep=1, grace_seconds=3600) for _ in range(4)]
    assert all(p.exists() for p in published)
    time.sleep(0.01)
    _publish(marts, serving, keep=1, grace_seconds=0)
    assert not any(p.exists() for p in published)


def test_in_one_process_a_connection_held_on_current_duckdb_hides_newer_snapshots_and_one_on_its_file_does_not(
    marts, tmp_path
):
    """What the README tells an analyst who keeps a connection open in a notebook: DuckDB keeps one database per path
    in a process, so a new connection to current.duckdb gets the snapshot an open one has; a connection held on the
    file CURRENT names (as `hub sql` holds it) leaves current.duckdb to the newest."""
    serving = tmp_path / "serving"
    _publish(marts, serving)
    query = "SELECT load_au FROM marts.fct_example"
    with duckdb.connect(str(stable_path(serving)), read_only=True) as held:
        marts.execute("UPDATE marts.fct_example SET load_au = 600")
        _publish(marts, serving)
        with duckdb.connect(str(stable_path(serving)), read_only=True) as again:
            assert again.execute(query).fetchall() == [(570,)]
    with duckdb.connect(str(current_snapshot(serving)), read_only=True) as held:
        marts.execute("UPDATE marts.fct_example SET load_au = 630")
        _publish(marts, serving)
        with duckdb.connect(str(stable_path(serving)), read_only=True) as fresh:
            assert fresh.execute(query).fetchall() == [(630,)]
        assert held.execute(query).fetchall() == [(600,)]


def test_a_serving_copy_keeps_each_club_and_team_together_so_reads_skip_the_other_row_groups(tmp_path):
    conn = duckdb.connect(str(tmp_path / "hub.duckdb"))
    conn.execute("CREATE SCHEMA marts")
    conn.execute(
        "CREATE TABLE marts.fct_daily AS SELECT 'org-' || (i % 3) AS org_id, 'team-' || (i % 7) AS team_id, "
        "'player-' || (i % 11) AS player_id, DATE '2026-01-01' + (i % 29)::INTEGER AS session_date "
        "FROM range(300000) r(i) ORDER BY hash(i)"
    )
    conn.execute("CREATE TABLE marts.dim_other AS SELECT i AS n FROM range(10) r(i) ORDER BY hash(i)")
    published = publish_snapshot(conn, tmp_path / "serving", ["marts.fct_daily", "marts.dim_other"])
    conn.close()

    with duckdb.connect(str(published), read_only=True) as reader:
        stored = reader.execute("SELECT org_id, team_id, player_id, session_date FROM marts.fct_daily").fetchall()
        assert stored == sorted(stored)
        # the row groups (122,880 rows each) whose min/max statistics admit one club's team: one or two of three
        groups = reader.execute(
            """
            SELECT row_group_id FROM pragma_storage_info('marts.fct_daily')
            WHERE column_name IN ('org_id', 'team_id')
            GROUP BY row_group_id
            HAVING bool_and(CASE column_name WHEN 'org_id' THEN 'org-1' ELSE 'team-3' END
                            BETWEEN stats.min AND stats.max)
            """
        ).fetchall()
        assert 1 <= len(groups) <= 2
        assert sorted(reader.execute("SELECT n FROM marts.dim_other").fetchall()) == [(n,) for n in range(10)]


def test_a_snapshot_of_a_few_changed_marts_copies_those_onto_the_current_file(marts, tmp_path):
    serving = tmp_path / "serving"
    marts.execute("CREATE TABLE marts.dim_other AS SELECT range AS n FROM range(1000)")
    tables = ["marts.dim_other", "marts.fct_example"]
    first = publish_snapshot(marts, serving, tables)
    sizes = []
    for load in (600, 610, 620, 630, 640):
        marts.execute("UPDATE marts.fct_example SET load_au = ?", [load])
        marts.execute("DELETE FROM marts.dim_other")  # changed here, but not named: the copy keeps the published one
        published = publish_snapshot(marts, serving, tables, changed={"marts.fct_example"})
        sizes.append(published.stat().st_size)
        marts.execute("INSERT INTO marts.dim_other SELECT range FROM range(1000)")
    assert max(sizes) <= 2 * first.stat().st_size  # replaced tables' space is reused, the file does not keep growing

    with duckdb.connect(str(stable_path(serving)), read_only=True) as reader:
        assert reader.execute("SELECT load_au FROM marts.fct_example").fetchall() == [(640,)]
        assert reader.execute("SELECT count(*) FROM marts.dim_other").fetchone() == (1000,)
        assert reader.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'fct_example'").fetchone() == (
            "One row per player: it's an example.",
        )
        assert reader.execute(
            "SELECT comment FROM duckdb_columns() WHERE table_name = 'fct_example' AND column_name = 'load_au'"
        ).fetchone() == ("Session-RPE load (AU).",)
        assert reader.execute("SELECT count(*) FROM meta.columns").fetchone() == (3,)
        (published_at,) = reader.execute("SELECT published_at FROM snapshot_info").fetchone()
    with duckdb.connect(str(first), read_only=True) as reader:
        assert reader.execute("SELECT load_au FROM marts.fct_example").fetchall() == [(570,)]  # never written again
        assert reader.execute("SELECT published_at FROM snapshot_info").fetchone()[0] < published_at

    # a new mart: the current file does not hold the same tables, so every table is copied
    marts.execute("CREATE TABLE marts.fct_new AS SELECT 1 AS n")
    publish_snapshot(marts, serving, [*tables, "marts.fct_new"], changed={"marts.fct_new"})
    with duckdb.connect(str(stable_path(serving)), read_only=True) as reader:
        assert reader.execute("SELECT count(*) FROM marts.dim_other").fetchone() == (1000,)
        assert reader.execute("SELECT count(*) FROM meta.tables").fetchone() == (3,)
