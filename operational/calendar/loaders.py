"""Every id the calendar is sent, in a path, a query or a body, is resolved here: one loader per kind of object.

An id of another club, or of nothing, is not found (404); an object of the caller's club the caller may not use is
forbidden (403). Teams and people are looked up in the calendar's read models of the caller's club; an id the caller's
own token names (their team, themself, their minor) is known even before those read models catch up, because the
token is signed by the users service for the caller's club.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar import policies, repository
from operational.calendar.bookings import repository as bookings_repository
from operational.calendar.feeds import repository as feeds_repository
from operational.calendar.models import PersonName, TeamName
from operational.kit.auth import Principal
from operational.kit.errors import Forbidden
from operational.kit.loaders import Loader, by_id

T = TypeVar("T")


def _nothing(_principal: Principal, _object_id: uuid.UUID) -> None:
    return None


@dataclass(frozen=True)
class ReadModelLoader(Loader[T]):
    """A :class:`Loader` over a read model, which also knows the ids of the caller's own token."""

    from_token: Callable[[Principal, uuid.UUID], Any] = field(default=_nothing)

    async def load(self, session: AsyncSession, principal: Principal, object_id: uuid.UUID, *, field=None):
        known = self.from_token(principal, object_id)
        if known is None:
            return await super().load(session, principal, object_id, field=field)
        if not self.allowed(principal, known):
            raise Forbidden(self.denied, field=field)
        return known


def _team_in_token(principal: Principal, team_id: uuid.UUID) -> TeamName | None:
    return TeamName(team_id=team_id, org_id=principal.org_id, name="") if team_id in principal.team_ids else None


def _person_in_token(principal: Principal, user_id: uuid.UUID) -> PersonName | None:
    if not principal.acts_for(user_id):
        return None
    return PersonName(user_id=user_id, org_id=principal.org_id, full_name="", active=True, org_roles=[])


# --- events -----------------------------------------------------------------------------------------------------------

READ_DENIED = "You can see your teams' events and the events you take part in."
EDIT_DENIED = "Only the team's coaches and club admins can change this event."

readable_series = Loader("event", by_id(repository.get_series), allowed=policies.can_read, denied=READ_DENIED)
editable_series = Loader(
    "event", by_id(repository.lock_series), allowed=policies.can_read, denied=READ_DENIED
).narrowed(policies.can_edit, EDIT_DENIED)
ReadableSeries = readable_series.from_path("series_id")
EditableSeries = editable_series.from_path("series_id")

# --- teams and people ---------------------------------------------------------------------------------------------

team = ReadModelLoader("team", by_id(repository.get_team), from_token=_team_in_token)
schedulable_team = team.narrowed(
    lambda p, t: policies.is_staff_of(p, t.team_id), "Only the team's coaches and club admins can schedule its events."
)
bookable_team = team.narrowed(lambda p, t: policies.is_staff_of(p, t.team_id), "You can book for your own teams only.")
followed_team = team.narrowed(
    lambda p, t: policies.may_follow_team(p, t.team_id), "You can see your own teams' calendars only."
)

person = ReadModelLoader("person", by_id(repository.get_active_person), from_token=_person_in_token)

# --- resources and bookings ---------------------------------------------------------------------------------------

resource = Loader("resource", by_id(bookings_repository.get_resource))
bookable_resource = resource.narrowed(
    lambda p, _r: policies.is_staff(p), "Only coaches and club admins book rinks, rooms and other resources."
)

BOOKING_DENIED = "Only who booked, the team's coaches and club admins can see this booking."
readable_booking = Loader(
    "booking", by_id(bookings_repository.get_booking), allowed=policies.can_read_booking, denied=BOOKING_DENIED
)
changeable_booking = Loader(
    "booking", by_id(bookings_repository.lock_booking), allowed=policies.can_read_booking, denied=BOOKING_DENIED
)
ReadableBooking = readable_booking.from_path("booking_id")
ChangeableBooking = changeable_booking.from_path("booking_id")

# --- feeds ------------------------------------------------------------------------------------------------------------

own_feed = Loader(
    "feed",
    by_id(feeds_repository.get_live_feed),
    allowed=lambda p, feed: feed.owner_id == p.user_id or policies.is_admin(p),
    denied="Only who made a calendar link (or a club admin) can revoke it.",
)
OwnFeed = own_feed.from_path("feed_id")
