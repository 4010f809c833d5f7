"""Valid events built with the contract models, as the services publish them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from contracts.training import SessionRpeLogged, SessionRpeLoggedEvent
from contracts.users import TeamCreated, TeamCreatedEvent, UserCreated, UserCreatedEvent


def session_rpe_logged(
    *,
    org_id: uuid.UUID,
    player_id: uuid.UUID,
    session_date: date,
    rpe: int,
    duration_minutes: int,
    team_id: uuid.UUID | None = None,
    logged_at: datetime | None = None,
) -> SessionRpeLoggedEvent:
    logged_at = logged_at or datetime.now(UTC)
    return SessionRpeLoggedEvent(
        event_id=uuid.uuid4(),
        occurred_at=logged_at,
        org_id=org_id,
        actor_id=player_id,
        subject_id=(log_id := uuid.uuid4()),
        correlation_id=uuid.uuid4().hex,
        data=SessionRpeLogged(
            log_id=log_id,
            player_id=player_id,
            team_id=team_id,
            session_date=session_date,
            rpe=rpe,
            duration_minutes=duration_minutes,
            session_rpe_load_au=rpe * duration_minutes,
            logged_at=logged_at,
        ),
    )


def team_created(*, org_id: uuid.UUID, name: str = "U16", team_id: uuid.UUID | None = None) -> TeamCreatedEvent:
    team_id = team_id or uuid.uuid4()
    return TeamCreatedEvent(
        event_id=uuid.uuid4(),
        occurred_at=datetime.now(UTC) - timedelta(days=30),
        org_id=org_id,
        subject_id=team_id,
        data=TeamCreated(team_id=team_id, name=name, season="2026-27", age_group=name),
    )


def user_created(*, org_id: uuid.UUID, user_id: uuid.UUID, name: str = "Elias Nilsson") -> UserCreatedEvent:
    return UserCreatedEvent(
        event_id=uuid.uuid4(),
        occurred_at=datetime.now(UTC) - timedelta(days=30),
        org_id=org_id,
        subject_id=user_id,
        data=UserCreated(user_id=user_id, full_name=name, org_roles=["player"]),
    )


def club_events(count: int) -> list:
    """``count`` events of one new club: ``count - 1`` session RPEs of as many players, then its team."""
    org_id = uuid.uuid4()
    logs = [
        session_rpe_logged(org_id=org_id, player_id=uuid.uuid4(), session_date=date(2026, 1, 5), rpe=7,
                           duration_minutes=60)
        for _ in range(count - 1)
    ]  # fmt: skip
    return [*logs, team_created(org_id=org_id)]
