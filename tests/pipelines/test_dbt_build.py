"""The dbt project is not DuckDB-only: the same models, tests and unit tests build on Postgres."""

from __future__ import annotations

import uuid
from datetime import date

import psycopg
import pytest
from sqlalchemy.engine import make_url

from hub.embedded import ensure_database
from pipelines.dbt_build import invoke_dbt
from tests.pipelines.dbt_project import project_unit_test_count
from tests.warehouse.events import session_rpe_logged, team_created, user_created

# raw.events as a Postgres warehouse would hold it (the pipeline's loader writes DuckDB only).
RAW_EVENTS_POSTGRES_DDL = """
DROP SCHEMA IF EXISTS raw CASCADE;
DROP SCHEMA IF EXISTS staging CASCADE;
DROP SCHEMA IF EXISTS marts CASCADE;
CREATE SCHEMA raw;
CREATE TABLE raw.events (
    event_id varchar PRIMARY KEY, type varchar NOT NULL, version integer NOT NULL, subject varchar NOT NULL,
    occurred_at timestamptz NOT NULL, org_id varchar NOT NULL, actor_id varchar, subject_id varchar,
    correlation_id varchar, data jsonb NOT NULL, stream_sequence bigint, loaded_at timestamptz NOT NULL,
    load_id varchar NOT NULL
);
"""


@pytest.fixture
def postgres_warehouse(postgres_admin_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    url = ensure_database(postgres_admin_url, "hub_warehouse_test")
    parts = make_url(url)
    for name, value in {
        "HUB_DBT_TARGET": "postgres",
        # pgserver listens on a Unix socket; libpq takes its directory as the host
        "HUB_WAREHOUSE_PG_HOST": parts.query.get("host") or parts.host or "localhost",
        "HUB_WAREHOUSE_PG_PORT": str(parts.port or 5432),
        "HUB_WAREHOUSE_PG_USER": parts.username or "postgres",
        "HUB_WAREHOUSE_PG_PASSWORD": parts.password or "",
        "HUB_WAREHOUSE_PG_DATABASE": "hub_warehouse_test",
    }.items():
        monkeypatch.setenv(name, value)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(RAW_EVENTS_POSTGRES_DDL)
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
    with psycopg.connect(postgres_warehouse, autocommit=True) as conn:
        for e in events:
            conn.execute(
                "INSERT INTO raw.events VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, NULL, now(), 'test')",
                [
                    str(e.event_id),
                    e.type,
                    e.version,
                    e.subject,
                    e.occurred_at,
                    str(e.org_id),
                    None,
                    None,
                    None,
                    e.data.model_dump_json(),
                ],
            )

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
