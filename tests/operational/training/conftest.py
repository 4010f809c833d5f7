from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime

import pytest

from contracts import users
from contracts.medical import AvailabilityChanged, AvailabilityChangedEvent
from tests.factories import Person, token_for
from tests.messaging import drain_and_consume

BASE = "/api/v1/training"
HOOPER = {"sleep_quality": 3, "fatigue": 4, "stress": 2, "muscle_soreness": 5}


@pytest.fixture
def sync_read_models(settings):
    """Publish every outbox (and any extra events) and let the training consumer catch up, as the worker does
    continuously."""
    return lambda *extra_events: drain_and_consume(settings, *extra_events, services=["training"])


@pytest.fixture
def other_club(settings):
    """A second club (another tenant) whose people try to reach the first club's data."""
    from tests.factories import make_club

    return make_club(settings)


@pytest.fixture
def as_(settings):
    """The same person with a token that says something else (``roles``, ``team_ids``, ``guardian_of``,
    ``time_zone`` …), as the users service would sign it."""

    def person(base: Person, **claims) -> Person:
        principal = dataclasses.replace(base.principal, **claims)
        return Person(id=base.id, email=base.email, principal=principal, token=token_for(settings, principal))

    return person


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
