"""The training API's address and the events and outbox rows training tests build and read."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from contracts import users
from contracts.medical import AvailabilityChanged, AvailabilityChangedEvent

BASE = "/api/v1/training"


HOOPER = {"sleep_quality": 3, "fatigue": 4, "stress": 2, "muscle_soreness": 5}


def envelope(model, org_id: uuid.UUID, data, *, occurred_at: datetime | None = None):
    return model(
        event_id=uuid.uuid4(), occurred_at=occurred_at or datetime.now(UTC), org_id=org_id, data=data, actor_id=None
    )


def membership(club, user_id, team_id, role="player", *, removed=False, occurred_at=None):
    model, payload = (
        (users.MembershipRemovedEvent, users.MembershipRemoved)
        if removed
        else (users.MembershipAddedEvent, users.MembershipAdded)
    )
    data = payload(membership_id=uuid.uuid4(), user_id=user_id, team_id=team_id, role=role)
    return envelope(model, club.org_id, data, occurred_at=occurred_at)


def availability(club, player_id, *, status="limited", restrictions=(), note=None):
    data = AvailabilityChanged(
        player_id=player_id,
        status=status,
        restrictions=list(restrictions),
        effective_from=date(2020, 1, 1),
        note_for_staff=note,
    )
    return envelope(AvailabilityChangedEvent, club.org_id, data)


def outbox_events(settings, subject_id) -> dict[str, dict]:
    """Subject → envelope of the training events about ``subject_id`` (the last one of each subject)."""
    import psycopg

    from operational.kit.db import libpq_url

    with psycopg.connect(libpq_url(settings.database_url)) as conn:
        rows = conn.execute(
            "SELECT subject, envelope FROM training.outbox WHERE envelope->>'subject_id' = %s ORDER BY id",
            (str(subject_id),),
        ).fetchall()
    return {subject: envelope for subject, envelope in rows}


def session_starting_now(club, *players) -> dict:
    """A planned session of the club's team that has begun (players may mark it), for ``players``."""
    return {
        "title": "Ice",
        "starts_at": datetime.now(UTC).isoformat(),
        "team_id": str(club.team_id),
        "player_ids": [str(player.id) for player in players],
    }
