"""Session RPE: logging, correcting, withdrawing and listing. Never commits: the request's unit of work does, with the
events recorded here."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, InvalidValue
from operational.kit.pagination import PageParams
from operational.training import events, live, loaders, policies, repository
from operational.training.dates import check_log_date, local_date
from operational.training.filing import team_for_record
from operational.training.loaders import session_loader
from operational.training.models import SessionRpeLog, outbox
from operational.training.schemas import RpeLogCreate, RpeLogUpdate

# A second identical log (same player, day, RPE and minutes) this soon after the first is taken for a double submit.
DUPLICATE_WINDOW = timedelta(minutes=10)


def session_rpe_load_au(rpe: int, duration_minutes: int) -> int:
    """Foster's session-RPE load: CR-10 rating × minutes, in arbitrary units."""
    return rpe * duration_minutes


async def _planned_session_day(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, player_id: uuid.UUID
) -> date:
    """The club's day of the planned session ``session_id``, which ``player_id`` must train in."""
    view = await session_loader.load(session, principal, session_id, field="session_id")
    if player_id not in view.player_ids:
        raise InvalidValue("The player is not in that session; leave session_id out.", field="session_id")
    if view.session.cancelled_at is not None:
        raise Conflict("That session was cancelled; log without session_id if you trained anyway.", field="session_id")
    return local_date(principal, view.session.starts_at)


def _check_session_day(day: date, session_day: date | None) -> None:
    if session_day is not None and day != session_day:
        raise InvalidValue(
            f"That session was on {session_day.isoformat()} in your club's time zone; log it on that day "
            "(or leave session_id out).",
            field="session_date",
        )


def _identical_log_lately(principal: Principal, player_id, day, body) -> tuple | None:
    """What finds a double submit of ``body`` (None when the client said it is a second session)."""
    if body.allow_duplicate:
        return None
    since = datetime.now(UTC) - DUPLICATE_WINDOW
    return repository.identical_log_since(principal.org_id, player_id, day, body.rpe, body.duration_minutes, since)


def _double_submit(body, day, twin) -> Conflict:
    minutes_ago = max(0, int((datetime.now(UTC) - twin.logged_at).total_seconds() // 60))
    message = (
        f"This session (RPE {body.rpe}, {body.duration_minutes} min on {day.isoformat()}) was logged "
        f"{minutes_ago} min ago as log {twin.id}. If it was a second session, send it again with "
        '"allow_duplicate": true; to change the first one, correct that log instead.'
    )
    return Conflict(
        message,
        field="allow_duplicate",
        details=[{"code": "duplicate_log", "message": message, "field": "allow_duplicate", "log_id": str(twin.id)}],
    )


async def log_session_rpe(session: AsyncSession, principal: Principal, body: RpeLogCreate) -> SessionRpeLog:
    player_id = await loaders.answering_for(session, principal, body.player_id, action="log session RPE")
    session_day = None
    if body.session_id is not None:
        session_day = await _planned_session_day(session, principal, body.session_id, player_id)
    day = body.session_date or session_day or principal.today()
    check_log_date(principal, day, field="session_date", what="session date")
    _check_session_day(day, session_day)
    # the player-day lock taken with the team lookup: one round trip
    team_id = await team_for_record(session, principal, player_id, day, body.team_id, lock="rpe")
    log = SessionRpeLog(
        id=uuid.uuid4(),
        org_id=principal.org_id,
        player_id=player_id,
        team_id=team_id,
        session_date=day,
        rpe=body.rpe,
        duration_minutes=body.duration_minutes,
        session_rpe_load_au=session_rpe_load_au(body.rpe, body.duration_minutes),
        logged_by=principal.user_id,
        logged_at=datetime.now(UTC),
        session_id=body.session_id,
    )
    # the duplicate check, the log, its event and the relay's wake-up in one statement; a statement of its own after
    # the lock's, so it sees a log committed by a request that held the lock before
    unless = _identical_log_lately(principal, player_id, day, body)
    twin = await outbox.record(session, events.session_rpe_logged(log, principal), along=log, unless=unless)
    if twin is not None:
        raise _double_submit(body, day, twin)
    if log.session_id is not None:
        update = {"player_id": str(player_id), "rpe_logged": True, "rpe": log.rpe}
        live.publish_after_commit(session, log.session_id, update)
    return log


async def correct_rpe_log(
    session: AsyncSession, principal: Principal, log: SessionRpeLog, body: RpeLogUpdate
) -> SessionRpeLog:
    """Apply a correction to ``log`` (already loaded for editing) and record what it now says."""
    changes = body.changes()
    if not changes:
        return log
    previous_day = log.session_date
    day = changes.get("session_date", log.session_date)
    if "session_date" in changes:
        check_log_date(principal, day, field="session_date", what="session date")
    session_id = changes.get("session_id", log.session_id)
    if session_id is not None and ({"session_id", "session_date"} & changes.keys()):
        _check_session_day(day, await _planned_session_day(session, principal, session_id, log.player_id))
    if {"session_date", "team_id"} & changes.keys():
        log.team_id = await team_for_record(
            session, principal, log.player_id, day, changes.get("team_id"), keep=log.team_id
        )
    log.session_date, log.session_id = day, session_id
    log.rpe = changes.get("rpe", log.rpe)
    log.duration_minutes = changes.get("duration_minutes", log.duration_minutes)
    log.session_rpe_load_au = session_rpe_load_au(log.rpe, log.duration_minutes)
    log.corrected_at = datetime.now(UTC)
    await session.flush()
    await outbox.record(session, events.session_rpe_corrected(log, previous_day, principal))
    return log


async def delete_rpe_log(session: AsyncSession, principal: Principal, log: SessionRpeLog) -> None:
    """Withdraw ``log`` (already loaded for editing): it no longer counts anywhere."""
    await outbox.record(session, events.session_rpe_deleted(log, datetime.now(UTC), principal))
    await repository.remove(session, log)
    if log.session_id is not None:
        still_logged = log.player_id in await repository.players_who_logged(session, log.org_id, log.session_id)
        update = {"player_id": str(log.player_id), "rpe_logged": still_logged}
        live.publish_after_commit(session, log.session_id, update)


async def list_rpe_logs(
    session: AsyncSession, principal: Principal, filters: repository.RecordFilters, page: PageParams
) -> tuple[list[dict], int]:
    return await repository.list_rpe_logs(session, principal.org_id, policies.list_scope(principal), filters, page)
