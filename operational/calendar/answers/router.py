from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path

from operational.calendar.answers import service
from operational.calendar.answers.schemas import (
    AttendanceRead,
    AttendanceSheet,
    AttendanceWrite,
    RsvpRead,
    RsvpSheet,
    RsvpWrite,
)
from operational.calendar.loaders import ReadableSeries
from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.pagination import PageDep
from operational.kit.schemas import Moment

router = APIRouter(tags=["calendar"])  # mounted under /api/v1/calendar by the calendar router
OCCURRENCE = "/events/{series_id}/occurrences/{occurrence_start}"
OccurrenceStart = Annotated[Moment, Path(description="The occurrence's original start, e.g. 2027-03-16T16:00:00Z")]


@router.put(OCCURRENCE + "/rsvp", response_model=RsvpRead)
async def answer(
    series: ReadableSeries, occurrence_start: OccurrenceStart, body: RsvpWrite, session: SessionDep, user: CurrentUser
):
    """Going, not going or maybe (with a reason); a parent answers for their minor with player_id."""
    return RsvpRead.model_validate(await service.record_rsvp(session, user, series, occurrence_start, body))


@router.get(OCCURRENCE + "/rsvps", response_model=RsvpSheet)
async def answers(
    series: ReadableSeries,
    occurrence_start: OccurrenceStart,
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    player_id: uuid.UUID | None = None,
) -> RsvpSheet:
    """Everyone expected (the team's players and the listed ones) with their answer, or none yet, by name, and the
    totals per answer. Staff see everyone; a player or parent sees their own (and their minor's)."""
    return await service.rsvp_sheet(session, user, series, occurrence_start, page, player_id=player_id)


@router.put(OCCURRENCE + "/attendance", response_model=list[AttendanceRead])
async def take_attendance(
    series: ReadableSeries,
    occurrence_start: OccurrenceStart,
    body: AttendanceWrite,
    session: SessionDep,
    user: CurrentUser,
):
    """Coaches, once the occurrence has started: present, absent, late or excused (excused needs a reason)."""
    rows = await service.record_attendance(session, user, series, occurrence_start, body)
    return [AttendanceRead.model_validate(r) for r in rows]


@router.get(OCCURRENCE + "/attendance", response_model=AttendanceSheet)
async def attendance(
    series: ReadableSeries,
    occurrence_start: OccurrenceStart,
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    player_id: uuid.UUID | None = None,
) -> AttendanceSheet:
    """Everyone expected with their attendance, or none recorded yet, by name, and the totals per status."""
    return await service.attendance_sheet(session, user, series, occurrence_start, page, player_id=player_id)
