"""Training business rules. Never commits: the request's unit of work does, with the events recorded here."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import InvalidValue
from operational.training import events, policies, repository
from operational.training.live import live_sessions
from operational.training.models import SessionRpeLog, outbox
from operational.training.schemas import RpeLogCreate


def session_rpe_load_au(rpe: int, duration_minutes: int) -> int:
    """Foster's session-RPE load: CR-10 rating × minutes, in arbitrary units."""
    return rpe * duration_minutes


async def log_session_rpe(session: AsyncSession, principal: Principal, body: RpeLogCreate) -> SessionRpeLog:
    player_id = body.player_id or principal.user_id
    policies.ensure_can_log(principal, player_id)
    if body.session_date > principal.today():
        raise InvalidValue("The session date is in the future in your club's time zone.", field="session_date")
    if body.session_id is not None and await repository.assignment(session, body.session_id, player_id) is None:
        raise InvalidValue("You are not in that session.", field="session_id")
    log = SessionRpeLog(
        id=uuid.uuid4(),
        org_id=principal.org_id,
        player_id=player_id,
        team_id=policies.resolve_team(principal, body.team_id),
        session_date=body.session_date,
        rpe=body.rpe,
        duration_minutes=body.duration_minutes,
        session_rpe_load_au=session_rpe_load_au(body.rpe, body.duration_minutes),
        logged_by=principal.user_id,
        logged_at=datetime.now(UTC),
        session_id=body.session_id,
    )
    await repository.add_rpe_log(session, log)
    await outbox.record(session, events.session_rpe_logged(log, principal))
    if log.session_id is not None:
        live_sessions.publish(log.session_id, {"player_id": str(player_id), "rpe_logged": True, "rpe": log.rpe})
    return log


async def get_rpe_log(session: AsyncSession, principal: Principal, log_id: uuid.UUID) -> SessionRpeLog:
    return policies.ensure_can_read(principal, await repository.get_rpe_log(session, log_id))


async def list_rpe_logs(
    session: AsyncSession,
    principal: Principal,
    *,
    player_id: uuid.UUID | None,
    date_from: date | None,
    date_to: date | None,
    limit: int,
    offset: int,
) -> tuple[list[SessionRpeLog], int]:
    return await repository.list_rpe_logs(
        session,
        principal.org_id,
        scope=policies.list_scope(principal),
        player_id=player_id,
        date_from=date_from,
        date_to=date_to,
        limit=limit,
        offset=offset,
    )
