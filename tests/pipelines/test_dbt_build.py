"""The dbt project is not DuckDB-only: the same models, tests and unit tests build on Postgres."""

from __future__ import annotations

import uuid
from datetime import date

import psycopg
import pytest

from hub.embedded import ensure_database
from pipelines.dbt_build import invoke_dbt
from tests.pipelines.dbt_project import project_unit_test_count
from tests.warehouse.events import session_rpe_logged, team_created, user_created
from warehouse.postgres_warehouse import PostgresWarehouse

# A clean warehouse: raw.events comes from the Postgres adapter's own DDL.
DROP_WAREHOUSE_SCHEMAS = """
DROP SCHEMA IF EXISTS raw CASCADE;
DROP SCHEMA IF EXISTS staging CASCADE;
DROP SCHEMA IF EXISTS intermediate CASCADE;
DROP SCHEMA IF EXISTS marts CASCADE;
DROP SCHEMA IF EXISTS pipeline CASCADE;
"""


@pytest.fixture
def postgres_warehouse(postgres_admin_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    url = ensure_database(postgres_admin_url, "hub_warehouse_test")
    # dbt's connection as the pipeline derives it from HUB_WAREHOUSE_URL (a Unix socket directory as the host)
    for name, value in PostgresWarehouse(url).dbt_environment().items():
        monkeypatch.setenv(name, value)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(DROP_WAREHOUSE_SCHEMAS)
    with PostgresWarehouse(url).session() as session:
        session.ensure_raw_schema()
    return url


def test_models_tests_and_unit_tests_build_on_postgres(postgres_warehouse):
    org_id, player, team = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    day = date(2026, 1, 5)
    events = [
        team_created(org_id=org_id, team_id=team),
        user_created(org_id=org_id, user_id=player),
        session_rpe_logged(org_id=org_id, player_id=player, session_date=day, rpe=7, duration_minutes=60, team_id=team),
        session_rpe_logged(org_id=org_id, player_id=player, session_date=day, rpe=5, duration_minutes=30, team_id=team),
        *_calendar_answers(org_id, player, team),
    ]
    with PostgresWarehouse(postgres_warehouse).session() as session:
        assert session.load_events(events, load_id="test") == len(events)

    outcome = invoke_dbt(["build"])
    assert outcome.success, outcome.exception
    statuses = {r.node.unique_id: str(r.status) for r in outcome.result.results}
    assert statuses["model.hockey_hub.fct_player_daily_load"] == "success"
    assert sum(1 for node in statuses if node.startswith("unit_test.")) == project_unit_test_count() >= 22
    assert set(statuses.values()) <= {"success", "pass"}

    with psycopg.connect(postgres_warehouse) as conn:
        row = conn.execute(
            "SELECT player_day_id, session_count, total_duration_minutes, session_rpe_load_au "
            "FROM marts.fct_player_daily_load"
        ).fetchone()
    assert row == (f"{player}|{day}", 2, 90, 570)
    with psycopg.connect(postgres_warehouse) as conn:
        attendance = conn.execute(
            "SELECT attendance_status, attended, rsvp_response FROM marts.fct_attendance"
        ).fetchall()
        weekly = conn.execute("SELECT events_recorded, attendance_rate FROM marts.fct_weekly_attendance").fetchall()
    assert attendance == [("late", True, "going")]
    assert weekly == [(1, 1.0)]
    with psycopg.connect(postgres_warehouse) as conn:
        exposure = conn.execute(
            "SELECT exposure_date, practice_hours, exposure_source FROM marts.fct_player_exposure_daily "
            "ORDER BY exposure_date"
        ).fetchall()
        incidence = conn.execute(
            "SELECT problems_count, exposure_hours, incidence_per_1000h FROM marts.fct_injury_incidence "
            "WHERE breakdown = 'all'"
        ).fetchall()
    # the logged day (1.5 h) and the attended 90-minute practice the calendar holds; one injury over 3 h
    assert exposure == [(day, 1.5, "training_log"), (date(2026, 1, 6), 1.5, "calendar")]
    assert incidence == [(1, 3.0, 333.333)]


def _calendar_answers(org_id, player, team_id) -> list:
    """A player's RSVP and the coach's attendance record for one practice of the team, as the calendar service emits
    them, and an injury at that practice."""
    from datetime import UTC, datetime

    from contracts import calendar, medical

    occurrence, series = datetime(2026, 1, 6, 16, tzinfo=UTC), uuid.uuid4()
    common = {
        "series_id": series,
        "occurrence_start": occurrence,
        "player_id": player,
        "event_kind": "practice",
        "team_id": team_id,
    }
    payloads = [
        (
            calendar.EventCreatedEvent,
            calendar.EventScheduled(
                series_id=series,
                kind="practice",
                title="Ice practice",
                starts_at=occurrence,
                duration_minutes=90,
                time_zone="Europe/Stockholm",
                team_id=team_id,
            ),
        ),
        (
            medical.HealthProblemRecordedEvent,
            medical.HealthProblemRecorded(
                problem_id=uuid.uuid4(),
                player_id=player,
                team_id=team_id,
                kind="injury",
                osiics_group="TM",
                body_area="Thigh",
                activity="practice",
                time_loss=True,
                onset_date=occurrence.date(),
            ),
        ),
        (calendar.RsvpRecordedEvent, calendar.RsvpRecorded(response="going", answered_by=player, **common)),
        (calendar.AttendanceRecordedEvent, calendar.AttendanceRecorded(status="late", **common)),
    ]
    return [
        model(event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), org_id=org_id, data=data)
        for model, data in payloads
    ]
