from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, status

from operational.calendar import service
from operational.calendar.answers.router import router as answers_router
from operational.calendar.bookings.router import router as bookings_router
from operational.calendar.config import SettingsDep
from operational.calendar.feeds.router import router as feeds_router
from operational.calendar.loaders import EditableSeries, ReadableSeries
from operational.calendar.schemas import (
    EventCheck,
    EventCreate,
    EventKind,
    EventPage,
    EventRead,
    EventUpdate,
    EventWritten,
    OccurrencePage,
    OccurrenceRead,
    WindowDep,
)
from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.pagination import PageDep
from operational.kit.schemas import Moment

router = APIRouter(prefix="/api/v1/calendar", tags=["calendar"])
OccurrenceScope = Annotated[Literal["this", "following"], Query(description="This occurrence, or it and the rest")]
OccurrenceStart = Annotated[Moment, Path(description="The occurrence's original start, e.g. 2027-03-16T16:00:00Z")]
CreatedBy = Annotated[uuid.UUID | Literal["me"] | None, Query(description="'me', or the id of who created them")]


def _written(series, warnings) -> EventWritten:
    return EventWritten(event=EventRead.model_validate(series), warnings=warnings)


@router.post("/events", status_code=status.HTTP_201_CREATED, response_model=EventWritten)
async def create_event(body: EventCreate, session: SessionDep, user: CurrentUser, settings: SettingsDep):
    """Schedule an event or a recurring series; soft conflicts come back as warnings, a taken resource is 409."""
    return _written(*await service.create_event(session, user, body, settings))


@router.post("/events:check", response_model=EventCheck)
async def check_event(body: EventCreate, session: SessionDep, user: CurrentUser, settings: SettingsDep) -> EventCheck:
    """A dry run of creating the event: the same checks and errors, and every conflict it would meet (a taken
    resource included), without saving anything."""
    return await service.check_event(session, user, body, settings)


@router.get("/events", response_model=EventPage)
async def list_events(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    window: WindowDep,
    team_id: uuid.UUID | None = None,
    player_id: uuid.UUID | None = None,
    kind: EventKind | None = None,
    created_by: CreatedBy = None,
) -> EventPage:
    """The series and one-off events you may read, by first start: e.g. the ones you made with ``created_by=me``.
    ``from``/``to`` keep those with an occurrence in that time."""
    items, total = await service.list_series(
        session, user, window, team_id=team_id, player_id=player_id, kind=kind, created_by=created_by, page=page
    )
    return EventPage.of(items, total, page)


@router.get("/events/{series_id}", response_model=EventRead)
async def get_event(series: ReadableSeries):
    """One event or series you may read (its rule, time zone and who takes part)."""
    return EventRead.model_validate(series)


@router.patch("/events/{series_id}", response_model=EventWritten)
async def update_series(series: EditableSeries, body: EventUpdate, session: SessionDep, user: CurrentUser):
    """Change the whole series."""
    return _written(*await service.update_event(session, user, series, body))


@router.delete("/events/{series_id}", response_model=EventRead)
async def cancel_series(series: EditableSeries, session: SessionDep, user: CurrentUser):
    """Cancel a whole series (the team's coaches, club admins); answers and attendance are kept."""
    return EventRead.model_validate(await service.cancel_event(session, user, series))


@router.patch("/events/{series_id}/occurrences/{occurrence_start}", response_model=EventWritten)
async def update_occurrence(
    series: EditableSeries,
    occurrence_start: OccurrenceStart,
    body: EventUpdate,
    session: SessionDep,
    user: CurrentUser,
    scope: OccurrenceScope = "this",
):
    """Change one occurrence (named by its original start), or it and every later one (splits the series)."""
    return _written(
        *await service.update_event(session, user, series, body, scope=scope, occurrence_start=occurrence_start)
    )


@router.delete("/events/{series_id}/occurrences/{occurrence_start}", response_model=EventRead)
async def cancel_occurrence(
    series: EditableSeries,
    occurrence_start: OccurrenceStart,
    session: SessionDep,
    user: CurrentUser,
    scope: OccurrenceScope = "this",
):
    """Cancel one occurrence (named by its original start), or it and every later one."""
    cancelled = await service.cancel_event(session, user, series, scope=scope, occurrence_start=occurrence_start)
    return EventRead.model_validate(cancelled)


@router.get("/occurrences", response_model=OccurrencePage)
async def list_occurrences(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    window: WindowDep,
    team_id: uuid.UUID | None = None,
    player_id: uuid.UUID | None = None,
    kind: EventKind | None = None,
) -> OccurrencePage:
    """What happens when: every occurrence in the window you may see (default: the next 30 days; at most 400),
    cancelled ones marked; an occurrence on a booked resource without a location of its own shows the resource."""
    rows, total = await service.list_occurrences(
        session, user, window, team_id=team_id, player_id=player_id, kind=kind, page=page
    )

    def read(row) -> OccurrenceRead:
        occurrence, series, location = row
        fields = {**occurrence.__dict__, "location": location}
        return OccurrenceRead(**fields, kind=series.kind, team_id=series.team_id)

    return OccurrencePage.of(rows, total, page, convert=read)


router.include_router(answers_router)
router.include_router(bookings_router)
router.include_router(feeds_router)
