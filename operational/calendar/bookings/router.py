from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from operational.calendar.bookings import service
from operational.calendar.bookings.schemas import (
    BookingAction,
    BookingCreate,
    BookingPage,
    BookingRead,
    BookingWritten,
    ResourceCreate,
    ResourceKind,
    ResourcePage,
    ResourceRead,
)
from operational.calendar.config import SettingsDep
from operational.calendar.loaders import ChangeableBooking, ReadableBooking
from operational.calendar.schemas import WindowDep
from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.pagination import PageDep

router = APIRouter(tags=["calendar"])  # mounted under /api/v1/calendar by the calendar router


@router.post("/resources", status_code=status.HTTP_201_CREATED, response_model=ResourceRead)
async def create_resource(body: ResourceCreate, session: SessionDep, user: CurrentUser, settings: SettingsDep):
    """Club admins: a rink, gym, room or bus, with its time zone and opening hours."""
    return ResourceRead.model_validate(await service.create_resource(session, user, body, settings))


@router.get("/resources", response_model=ResourcePage)
async def list_resources(
    session: SessionDep, user: CurrentUser, page: PageDep, kind: ResourceKind | None = None
) -> ResourcePage:
    """The club's rinks, gyms, rooms and buses, by name."""
    items, total = await service.list_resources(session, user, kind, page)
    return ResourcePage.of(items, total, page)


@router.post("/bookings", status_code=status.HTTP_201_CREATED, response_model=BookingWritten)
async def book(body: BookingCreate, session: SessionDep, user: CurrentUser):
    """Book a resource within its opening hours; a taken slot is 409 with who holds it, unless you join the
    waitlist or (club admins) override with a recorded reason."""
    booking, warnings = await service.create_booking(session, user, body)
    return BookingWritten(booking=BookingRead.model_validate(booking), warnings=warnings)


@router.get("/bookings", response_model=BookingPage)
async def list_bookings(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    window: WindowDep,
    resource_id: uuid.UUID | None = None,
    team_id: uuid.UUID | None = None,
) -> BookingPage:
    """The bookings you may read (yours, your teams' as their coach, all of them as a club admin), by start."""
    items, total = await service.list_bookings(
        session, user, page, window_from=window.starts, window_to=window.ends, resource_id=resource_id, team_id=team_id
    )
    return BookingPage.of(items, total, page)


@router.get("/bookings/{booking_id}", response_model=BookingRead)
async def get_booking(booking: ReadableBooking):
    """One booking: who booked it, the team's coaches and club admins may read it."""
    return BookingRead.model_validate(booking)


@router.post("/bookings/{booking_id}/{action}", response_model=BookingRead)
async def change_booking(booking: ChangeableBooking, action: BookingAction, session: SessionDep, user: CurrentUser):
    """confirm (club admins), start, complete, no_show or cancel; a freed slot goes to the first on the waitlist."""
    return BookingRead.model_validate(await service.transition(session, user, booking, action))
