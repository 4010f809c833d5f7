"""The planning API's address, a season plan body, and the calendar events planning tests feed its consumer."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from contracts import calendar

BASE = "/api/v1/planning"
MONDAY = date(2026, 8, 3)  # the plan's first Monday


def monday(weeks: int) -> str:
    """The Monday ``weeks`` after the plan's first, as the API writes it."""
    return str(MONDAY + timedelta(weeks=weeks))


def plan_body(team_id, **changes) -> dict:
    body = {
        "team_id": str(team_id),
        "name": "2026-27",
        "starts_on": str(MONDAY),
        "ends_on": "2027-04-25",
        "phases": [
            {"kind": "pre_season", "name": "Pre-season", "starts_on": "2026-08-03", "ends_on": "2026-09-13"},
            {"kind": "in_season", "name": "Regular season", "starts_on": "2026-09-14", "ends_on": "2027-02-28"},
            {"kind": "playoffs", "name": "Playoffs", "starts_on": "2027-03-01", "ends_on": "2027-04-25"},
        ],
        "mesocycles": [
            {"name": "General prep", "starts_on": "2026-08-03", "ends_on": "2026-08-30", "focus": "Aerobic base"},
            {"name": "Specific prep", "starts_on": "2026-08-31", "ends_on": "2026-09-13", "focus": "Speed"},
        ],
    }
    return body | changes


def week_body(load=2000, sessions=5, focus="Skating", mix=(40, 40, 20)) -> dict:
    low, moderate, high = mix
    return {
        "planned_sessions": sessions,
        "planned_load_au": load,
        "intensity_mix": {"low_pct": low, "moderate_pct": moderate, "high_pct": high},
        "focus": focus,
    }


def game_scheduled(org_id, team_id, starts_at: datetime, *, title="Game", kind="game", series_id=None):
    data = calendar.EventScheduled(
        series_id=series_id or uuid.uuid4(),
        kind=kind,
        title=title,
        team_id=team_id,
        starts_at=starts_at,
        duration_minutes=120,
        time_zone="Europe/Stockholm",
    )
    return calendar.EventCreatedEvent(
        event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), org_id=org_id, data=data, actor_id=None
    )


def game_cancelled(org_id, team_id, series_id):
    data = calendar.EventCancelled(series_id=series_id, scope="all", team_id=team_id)
    return calendar.EventCancelledEvent(
        event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), org_id=org_id, data=data, actor_id=None
    )


def outbox_types(settings, subject_id) -> list[str]:
    """The types of the planning events about ``subject_id``, oldest first."""
    import psycopg

    from operational.kit.db import libpq_url

    with psycopg.connect(libpq_url(settings.database_url)) as conn:
        rows = conn.execute(
            "SELECT envelope->>'type' FROM planning.outbox WHERE envelope->>'subject_id' = %s ORDER BY id",
            (str(subject_id),),
        ).fetchall()
    return [row[0] for row in rows]


def roster(club) -> list:
    """The club's memberships as the users service announced them (tests/factories.py's make_club)."""
    from contracts import users

    members = {
        club.team_id: (("coach", "coach"), ("player", "player"), ("teammate", "player"), ("parent", "parent")),
        club.other_team_id: (("other_coach", "coach"), ("other_player", "player")),
    }
    return [
        users.MembershipAddedEvent(
            event_id=uuid.uuid4(),
            occurred_at=datetime.now(UTC) - timedelta(days=1),
            org_id=club.org_id,
            data=users.MembershipAdded(membership_id=uuid.uuid4(), user_id=club[name].id, team_id=team_id, role=role),
        )  # fmt: skip
        for team_id, people in members.items()
        for name, role in people
    ]
