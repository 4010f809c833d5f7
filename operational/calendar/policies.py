"""Who may see and change which calendar entries, resources, bookings, answers and feeds.

Reading is decided by a *scope* (:class:`EventScope`, :class:`BookingScope`) built from the caller: ``admits`` decides
for one object (the loaders use it) and the repository turns the same scope into the WHERE clause of every list, so a
list shows exactly what reading each of its items would.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from operational.calendar.models import Booking, EventSeries
from operational.kit.auth import Principal
from operational.kit.errors import Forbidden
from operational.kit.policies import require_any_role

ADMINS = frozenset({"club_admin", "platform_admin"})
TEAM_STAFF = frozenset({"coach", "physical_trainer"})
# visibilities only staff and admins may give an event: the whole club, or the staff only
STAFF_VISIBILITIES = frozenset({"org", "staff"})


def is_admin(principal: Principal) -> bool:
    return principal.has_any_role(*ADMINS)


def is_staff(principal: Principal) -> bool:
    return is_admin(principal) or principal.has_any_role(*TEAM_STAFF)


def is_staff_of(principal: Principal, team_id: uuid.UUID | None) -> bool:
    return is_admin(principal) or (
        team_id is not None and team_id in principal.team_ids and principal.has_any_role(*TEAM_STAFF)
    )


# --- events -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventScope:
    """The events a person may read: everything in the club (``everything``), or those visible to the club, those
    they created, every event of the teams they are staff of, the team-visible events of their teams, and the
    non-staff events that list them (or their minor)."""

    everything: bool
    team_ids: frozenset[uuid.UUID]
    staff_team_ids: frozenset[uuid.UUID]
    player_ids: frozenset[uuid.UUID]
    creator_id: uuid.UUID

    def admits(self, series: EventSeries) -> bool:
        return (
            self.everything
            or series.visibility == "org"
            or series.created_by == self.creator_id
            or series.team_id in self.staff_team_ids
            or (series.team_id in self.team_ids and series.visibility == "team")
            or (bool(self.player_ids.intersection(series.player_ids or ())) and series.visibility != "staff")
        )


def event_scope(principal: Principal) -> EventScope:
    staff_teams = principal.team_ids if principal.has_any_role(*TEAM_STAFF) else frozenset()
    return EventScope(
        everything=is_admin(principal),
        team_ids=principal.team_ids,
        staff_team_ids=staff_teams,
        player_ids=principal.guardian_of | {principal.user_id},
        creator_id=principal.user_id,
    )


def can_read(principal: Principal, series: EventSeries) -> bool:
    return event_scope(principal).admits(series)


def can_edit(principal: Principal, series: EventSeries) -> bool:
    if series.team_id is not None:
        return is_staff_of(principal, series.team_id)
    return is_admin(principal) or series.created_by == principal.user_id


def ensure_can_create(principal: Principal, team_id: uuid.UUID | None, player_ids: list[uuid.UUID], kind: str) -> None:
    """Who may schedule an event of ``kind`` for nobody's team (a team's events are checked by its loader)."""
    if team_id is not None:
        return
    if kind == "medical_appointment" and principal.has_any_role("medical_staff"):
        return
    if is_staff(principal):
        return
    if all(principal.acts_for(p) for p in player_ids) and kind in ("meeting", "other", "medical_appointment"):
        return  # a person keeps their own (or their minor's) appointments
    raise Forbidden("You can schedule events for yourself only.", field="player_ids")


def ensure_can_give_visibility(principal: Principal, visibility: str) -> None:
    if visibility in STAFF_VISIBILITIES and not (is_staff(principal) or principal.has_any_role("medical_staff")):
        raise Forbidden(
            "Only staff and club admins publish events to the whole club or to staff only; use 'team' or 'private'.",
            field="visibility",
        )


def can_see_answers_of_everyone(principal: Principal, series: EventSeries) -> bool:
    return is_staff_of(principal, series.team_id) or can_edit(principal, series)


def ensure_can_take_attendance(principal: Principal, series: EventSeries) -> None:
    if not is_staff_of(principal, series.team_id) and not (series.team_id is None and can_edit(principal, series)):
        raise Forbidden("Only the team's coaches and club admins take attendance.")


def ensure_can_answer_for(principal: Principal, player_id: uuid.UUID) -> None:
    if not principal.acts_for(player_id):
        raise Forbidden("You can answer for yourself (or a minor you are guardian of) only.", field="player_id")


def may_see_restrictions(principal: Principal, player_team_ids: set[uuid.UUID], player_id: uuid.UUID) -> bool:
    """Coded restrictions and expected return: the player's team staff (and admins), medical staff, the player and
    their guardian. Everyone else learns only that the player is not available or is restricted."""
    return (
        principal.acts_for(player_id)
        or principal.has_any_role("medical_staff")
        or any(is_staff_of(principal, team_id) for team_id in player_team_ids)
        or is_admin(principal)
    )


# --- resources and bookings -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingScope:
    """The bookings a person may read: all of the club's (admins), their own requests, and those of the teams they
    are staff of."""

    everything: bool
    requester_id: uuid.UUID
    staff_team_ids: frozenset[uuid.UUID]

    def admits(self, booking: Booking) -> bool:
        return self.everything or booking.requested_by == self.requester_id or booking.team_id in self.staff_team_ids


def booking_scope(principal: Principal) -> BookingScope:
    staff_teams = principal.team_ids if principal.has_any_role(*TEAM_STAFF) else frozenset()
    return BookingScope(everything=is_admin(principal), requester_id=principal.user_id, staff_team_ids=staff_teams)


def can_read_booking(principal: Principal, booking: Booking) -> bool:
    return booking_scope(principal).admits(booking)


def ensure_can_manage_resources(principal: Principal) -> None:
    require_any_role(principal, *ADMINS, action="manage rinks, rooms and other resources")


def ensure_can_book(principal: Principal) -> None:
    require_any_role(principal, *ADMINS, *TEAM_STAFF, action="book resources")


def ensure_can_override(principal: Principal) -> None:
    if not is_admin(principal):
        raise Forbidden("Only club admins can book over another booking.", field="override_reason")


# --- feeds ------------------------------------------------------------------------------------------------------------


def may_follow_team(principal: Principal, team_id: uuid.UUID) -> bool:
    """Subscribe to (or list) a team's calendar: its members and club admins."""
    return is_admin(principal) or team_id in principal.team_ids
