"""RSVPs (a parent answers for a minor) and attendance (coaches, once the occurrence has started), and the sheets
that show everyone expected with their answer, or none yet."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar import events, loaders, policies, recurrence
from operational.calendar.answers import repository
from operational.calendar.answers.schemas import (
    AttendanceLine,
    AttendanceSheet,
    AttendanceTotals,
    AttendanceWrite,
    RsvpLine,
    RsvpSheet,
    RsvpTotals,
    RsvpWrite,
)
from operational.calendar.models import Attendance, EventSeries, Rsvp, outbox
from operational.calendar.service import occurrence_of
from operational.kit.auth import Principal
from operational.kit.errors import Conflict, Forbidden, InvalidValue
from operational.kit.pagination import PageParams


async def record_rsvp(
    session: AsyncSession, principal: Principal, series: EventSeries, occurrence_start: datetime, body: RsvpWrite
) -> Rsvp:
    player_id = principal.user_id
    if body.player_id is not None:
        player_id = (await loaders.person.load(session, principal, body.player_id, field="player_id")).user_id
    policies.ensure_can_answer_for(principal, player_id)
    occurrence, _ = await occurrence_of(session, series, occurrence_start)
    if occurrence.cancelled:
        raise Conflict("This occurrence is cancelled; there is nothing to answer.")
    if player_id not in await repository.expected_players(session, series) and not (
        player_id == principal.user_id and series.team_id in principal.team_ids
    ):
        raise Forbidden("That player is not invited to this event.", field="player_id")
    now = datetime.now(UTC)
    if series.rsvp_deadline_minutes is not None:
        closes = occurrence.starts_at - timedelta(minutes=series.rsvp_deadline_minutes)
        if now > closes:
            local = recurrence.to_local(closes, series.time_zone)
            raise Conflict(f"Answers closed at {local:%H:%M} on {local:%a} {local.day} {local:%b}; ask the coach.")
    rsvp = await repository.upsert_rsvp(
        session,
        {
            "id": uuid.uuid4(),
            "org_id": series.org_id,
            "series_id": series.id,
            "occurrence_start": occurrence.occurrence_start,
            "player_id": player_id,
            "response": body.response,
            "reason": body.reason,
            "answered_by": principal.user_id,
            "answered_at": now,
        },
    )
    await outbox.record(session, events.rsvp_recorded(rsvp, series, principal))
    return rsvp


async def _sheet(session, principal: Principal, series, occurrence_start, model, page, player_id):
    occurrence, _ = await occurrence_of(session, series, occurrence_start)
    # staff see everyone's; a player or parent sees their own (and their minor's)
    only = (
        None if policies.can_see_answers_of_everyone(principal, series) else principal.guardian_of | {principal.user_id}
    )
    if player_id is not None:
        await loaders.person.load(session, principal, player_id, field="player_id")
        only = {player_id} if only is None else only & {player_id}
    start = occurrence.occurrence_start
    rows, total = await repository.answer_sheet(session, model, series, start, page, only=only)
    totals = await repository.answer_totals(session, model, series, start, only=only)
    return rows, total, totals


async def rsvp_sheet(
    session: AsyncSession,
    principal: Principal,
    series: EventSeries,
    occurrence_start: datetime,
    page: PageParams,
    *,
    player_id: uuid.UUID | None = None,
) -> RsvpSheet:
    rows, total, totals = await _sheet(session, principal, series, occurrence_start, Rsvp, page, player_id)

    def line(row) -> RsvpLine:
        player, name, answer = row
        if answer is None:
            return RsvpLine(player_id=player, name=name)
        return RsvpLine(
            player_id=player,
            name=name,
            response=answer.response,
            reason=answer.reason,
            answered_by=answer.answered_by,
            answered_at=answer.answered_at,
        )

    sheet = RsvpSheet.of(rows, total, page, convert=line)
    sheet.totals = RsvpTotals(**{k: v for k, v in totals.items() if k}, no_answer=totals.get(None, 0))
    return sheet


async def attendance_sheet(
    session: AsyncSession,
    principal: Principal,
    series: EventSeries,
    occurrence_start: datetime,
    page: PageParams,
    *,
    player_id: uuid.UUID | None = None,
) -> AttendanceSheet:
    rows, total, totals = await _sheet(session, principal, series, occurrence_start, Attendance, page, player_id)

    def line(row) -> AttendanceLine:
        player, name, record = row
        if record is None:
            return AttendanceLine(player_id=player, name=name)
        return AttendanceLine(
            player_id=player,
            name=name,
            status=record.status,
            reason=record.reason,
            recorded_by=record.recorded_by,
            recorded_at=record.recorded_at,
        )

    sheet = AttendanceSheet.of(rows, total, page, convert=line)
    sheet.totals = AttendanceTotals(**{k: v for k, v in totals.items() if k}, not_recorded=totals.get(None, 0))
    return sheet


def _when(moment: datetime, zone_name: str) -> str:
    try:
        local = recurrence.to_local(moment, zone_name)
    except recurrence.RecurrenceError:
        local, zone_name = moment.astimezone(UTC).replace(tzinfo=None), "UTC"
    return f"{local:%H:%M} on {local:%a} {local.day} {local:%b %Y} ({zone_name})"


async def record_attendance(
    session: AsyncSession,
    principal: Principal,
    series: EventSeries,
    occurrence_start: datetime,
    body: AttendanceWrite,
) -> list[Attendance]:
    policies.ensure_can_take_attendance(principal, series)
    for index, entry in enumerate(body.records):
        await loaders.person.load(session, principal, entry.player_id, field=f"records.{index}.player_id")
    occurrence, _ = await occurrence_of(session, series, occurrence_start)
    if occurrence.cancelled:
        raise Conflict("This occurrence is cancelled; attendance cannot be taken.")
    now = datetime.now(UTC)
    if now < occurrence.starts_at:
        raise InvalidValue(
            f"'{occurrence.title}' starts at {_when(occurrence.starts_at, principal.time_zone)}: "
            "take attendance once it has started.",
            field="occurrence_start",
        )
    expected = await repository.expected_players(session, series)
    for index, entry in enumerate(body.records):
        if entry.player_id not in expected:
            raise InvalidValue("That player is not in this event's team or list.", field=f"records.{index}.player_id")
    saved = []
    for entry in body.records:
        record = await repository.upsert_attendance(
            session,
            {
                "id": uuid.uuid4(),
                "org_id": series.org_id,
                "series_id": series.id,
                "occurrence_start": occurrence.occurrence_start,
                "player_id": entry.player_id,
                "status": entry.status,
                "reason": entry.reason,
                "recorded_by": principal.user_id,
                "recorded_at": now,
            },
        )
        await outbox.record(session, events.attendance_recorded(record, series, principal))
        saved.append(record)
    return saved
