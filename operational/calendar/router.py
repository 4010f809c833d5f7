from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status

from operational.calendar import bookings, feeds, policies, repository, service
from operational.calendar.config import CalendarSettings
from operational.calendar.models import Attendance, Rsvp
from operational.calendar.schemas import (
    AttendanceRead,
    AttendanceWrite,
    BookingAction,
    BookingCreate,
    BookingPage,
    BookingRead,
    BookingWritten,
    EventCreate,
    EventKind,
    EventRead,
    EventUpdate,
    EventWritten,
    FeedCreate,
    FeedRead,
    OccurrencePage,
    OccurrenceRead,
    ResourceCreate,
    ResourcePage,
    ResourceRead,
    RsvpRead,
    RsvpWrite,
)
from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.pagination import PageDep

router = APIRouter(prefix="/api/v1/calendar", tags=["calendar"])
ICS = "text/calendar; charset=utf-8"


@lru_cache(maxsize=1)
def _settings_from_environment() -> CalendarSettings:
    return CalendarSettings()


def _calendar_settings(request: Request) -> CalendarSettings:
    settings = request.app.state.settings
    return settings if isinstance(settings, CalendarSettings) else _settings_from_environment()


SettingsDep = Annotated[CalendarSettings, Depends(_calendar_settings)]
OccurrenceScope = Annotated[Literal["this", "following"], Query(description="This occurrence, or it and the rest")]


def _utc(moment: datetime) -> datetime:
    """A time without an offset is read as UTC."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _written(series, warnings) -> EventWritten:
    return EventWritten(event=EventRead.model_validate(series), warnings=warnings)


@router.post("/events", status_code=status.HTTP_201_CREATED, response_model=EventWritten)
async def create_event(body: EventCreate, session: SessionDep, user: CurrentUser, settings: SettingsDep):
    """Schedule an event or a recurring series; soft conflicts come back as warnings, a taken resource is 409."""
    return _written(*await service.create_event(session, user, body, settings))


@router.get("/events/{series_id}", response_model=EventRead)
async def get_event(series_id: uuid.UUID, session: SessionDep, user: CurrentUser):
    return EventRead.model_validate(await service.get_event(session, user, series_id))


@router.patch("/events/{series_id}", response_model=EventWritten)
async def update_series(
    series_id: uuid.UUID, body: EventUpdate, session: SessionDep, user: CurrentUser, settings: SettingsDep
):
    """Change the whole series."""
    return _written(*await service.update_event(session, user, series_id, body, settings))


@router.delete("/events/{series_id}", response_model=EventRead)
async def cancel_series(series_id: uuid.UUID, session: SessionDep, user: CurrentUser):
    return EventRead.model_validate(await service.cancel_event(session, user, series_id))


@router.patch("/events/{series_id}/occurrences/{occurrence_start}", response_model=EventWritten)
async def update_occurrence(
    series_id: uuid.UUID,
    occurrence_start: datetime,
    body: EventUpdate,
    session: SessionDep,
    user: CurrentUser,
    settings: SettingsDep,
    scope: OccurrenceScope = "this",
):
    """Change one occurrence (named by its original start), or it and every later one (splits the series)."""
    return _written(
        *await service.update_event(
            session, user, series_id, body, settings, scope=scope, occurrence_start=occurrence_start
        )
    )


@router.delete("/events/{series_id}/occurrences/{occurrence_start}", response_model=EventRead)
async def cancel_occurrence(
    series_id: uuid.UUID,
    occurrence_start: datetime,
    session: SessionDep,
    user: CurrentUser,
    scope: OccurrenceScope = "this",
):
    series = await service.cancel_event(session, user, series_id, scope=scope, occurrence_start=occurrence_start)
    return EventRead.model_validate(series)


@router.get("/events/{series_id}/event.ics")
async def event_ics(series_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Response:
    return Response(await feeds.event_ics(session, user, series_id), media_type=ICS)


@router.get("/occurrences", response_model=OccurrencePage)
async def list_occurrences(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    team_id: uuid.UUID | None = None,
    player_id: uuid.UUID | None = None,
    kind: EventKind | None = None,
    window_from: Annotated[datetime | None, Query(alias="from", description="Default: now")] = None,
    window_to: Annotated[datetime | None, Query(alias="to", description="Default: 30 days after 'from'")] = None,
) -> OccurrencePage:
    """What happens when: every occurrence in the window you may see, cancelled ones marked."""
    start = _utc(window_from) if window_from else datetime.now(UTC)
    rows, total = await service.list_occurrences(
        session,
        user,
        window_from=start,
        window_to=_utc(window_to) if window_to else start + timedelta(days=30),
        team_id=team_id,
        player_id=player_id,
        kind=kind,
        limit=page.limit,
        offset=page.offset,
    )
    items = [
        OccurrenceRead(**occurrence.__dict__, kind=series.kind, team_id=series.team_id) for occurrence, series in rows
    ]
    return OccurrencePage(items=items, total=total, limit=page.limit, offset=page.offset)


# --- RSVP and attendance ---------------------------------------------------------------------------------------------


@router.put("/events/{series_id}/occurrences/{occurrence_start}/rsvp", response_model=RsvpRead)
async def answer(
    series_id: uuid.UUID, occurrence_start: datetime, body: RsvpWrite, session: SessionDep, user: CurrentUser
):
    """Going, not going or maybe (with a reason); a parent answers for their minor with player_id."""
    return RsvpRead.model_validate(await service.record_rsvp(session, user, series_id, occurrence_start, body))


@router.get("/events/{series_id}/occurrences/{occurrence_start}/rsvps", response_model=list[RsvpRead])
async def answers(series_id: uuid.UUID, occurrence_start: datetime, session: SessionDep, user: CurrentUser):
    rows = await service.list_answers(session, user, series_id, occurrence_start, Rsvp)
    return [RsvpRead.model_validate(r) for r in rows]


@router.put("/events/{series_id}/occurrences/{occurrence_start}/attendance", response_model=list[AttendanceRead])
async def take_attendance(
    series_id: uuid.UUID, occurrence_start: datetime, body: AttendanceWrite, session: SessionDep, user: CurrentUser
):
    """Coaches: present, absent, late or excused (with a reason), for one or many players."""
    rows = await service.record_attendance(session, user, series_id, occurrence_start, body)
    return [AttendanceRead.model_validate(r) for r in rows]


@router.get("/events/{series_id}/occurrences/{occurrence_start}/attendance", response_model=list[AttendanceRead])
async def attendance(series_id: uuid.UUID, occurrence_start: datetime, session: SessionDep, user: CurrentUser):
    rows = await service.list_answers(session, user, series_id, occurrence_start, Attendance)
    return [AttendanceRead.model_validate(r) for r in rows]


# --- resources and bookings ------------------------------------------------------------------------------------------


@router.post("/resources", status_code=status.HTTP_201_CREATED, response_model=ResourceRead)
async def create_resource(body: ResourceCreate, session: SessionDep, user: CurrentUser, settings: SettingsDep):
    return ResourceRead.model_validate(await bookings.create_resource(session, user, body, settings))


@router.get("/resources", response_model=ResourcePage)
async def list_resources(session: SessionDep, user: CurrentUser, page: PageDep) -> ResourcePage:
    items, total = await repository.list_resources(session, user.org_id, limit=page.limit, offset=page.offset)
    return ResourcePage(
        items=[ResourceRead.model_validate(i) for i in items], total=total, limit=page.limit, offset=page.offset
    )


@router.post("/bookings", status_code=status.HTTP_201_CREATED, response_model=BookingWritten)
async def book(body: BookingCreate, session: SessionDep, user: CurrentUser):
    """Book a resource; a taken slot is 409 with who holds it, unless you join the waitlist or (club admins)
    override with a recorded reason."""
    booking, warnings = await bookings.create_booking(session, user, body)
    return BookingWritten(booking=BookingRead.model_validate(booking), warnings=warnings)


@router.get("/bookings", response_model=BookingPage)
async def list_bookings(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    resource_id: uuid.UUID | None = None,
    window_from: Annotated[datetime | None, Query(alias="from")] = None,
    window_to: Annotated[datetime | None, Query(alias="to")] = None,
) -> BookingPage:
    items, total = await repository.list_bookings(
        session,
        user.org_id,
        resource_id=resource_id,
        window_from=window_from,
        window_to=window_to,
        limit=page.limit,
        offset=page.offset,
    )
    return BookingPage(
        items=[BookingRead.model_validate(i) for i in items], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/bookings/{booking_id}", response_model=BookingRead)
async def get_booking(booking_id: uuid.UUID, session: SessionDep, user: CurrentUser):
    return BookingRead.model_validate(policies.load_booking(user, await repository.get_booking(session, booking_id)))


@router.post("/bookings/{booking_id}/{action}", response_model=BookingRead)
async def change_booking(booking_id: uuid.UUID, action: BookingAction, session: SessionDep, user: CurrentUser):
    """confirm (club admins), start, complete, no_show or cancel; a freed slot goes to the first on the waitlist."""
    return BookingRead.model_validate(await bookings.transition(session, user, booking_id, action))


# --- feeds -----------------------------------------------------------------------------------------------------------


@router.post("/feeds", status_code=status.HTTP_201_CREATED, response_model=FeedRead)
async def create_feed(body: FeedCreate, request: Request, session: SessionDep, user: CurrentUser) -> FeedRead:
    """A secret iCalendar URL of your calendar or a team's; anyone with it can read the feed until you revoke it."""
    feed, token = await feeds.create_feed(session, user, body.team_id)
    url = str(request.url_for("calendar_feed", token=token))
    return FeedRead(id=feed.id, team_id=feed.team_id, url=url)


@router.delete("/feeds/{feed_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_feed(feed_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Response:
    await feeds.revoke_feed(session, user, feed_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/feeds/{token}.ics", name="calendar_feed")
async def feed(token: str, session: SessionDep) -> Response:
    """The feed itself: the token in the URL is the credential (calendar apps cannot send bearer tokens)."""
    return Response(await feeds.feed_ics(session, token), media_type=ICS)
