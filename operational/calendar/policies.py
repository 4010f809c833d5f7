"""Who may see and change which calendar entries, resources, bookings, RSVPs and feeds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from operational.calendar.models import Booking, EventSeries, Resource
from operational.kit.auth import Principal
from operational.kit.errors import Forbidden, NotFound
from operational.kit.policies import in_same_org, require_any_role

ADMINS = frozenset({"club_admin", "platform_admin"})
TEAM_STAFF = frozenset({"coach", "physical_trainer"})


def is_admin(principal: Principal) -> bool:
    return principal.has_any_role(*ADMINS)


def is_staff_of(principal: Principal, team_id: uuid.UUID | None) -> bool:
    return is_admin(principal) or (
        team_id is not None and team_id in principal.team_ids and principal.has_any_role(*TEAM_STAFF)
    )


def _participates(principal: Principal, series: EventSeries) -> bool:
    return any(principal.acts_for(p) for p in series.player_ids or ())


def can_read(principal: Principal, series: EventSeries) -> bool:
    if is_admin(principal) or series.created_by == principal.user_id or is_staff_of(principal, series.team_id):
        return True
    if series.visibility == "org":
        return True
    if series.visibility == "staff":
        return False
    if _participates(principal, series):
        return True
    return series.visibility == "team" and series.team_id is not None and series.team_id in principal.team_ids


def can_edit(principal: Principal, series: EventSeries) -> bool:
    if series.team_id is not None:
        return is_staff_of(principal, series.team_id)
    return is_admin(principal) or series.created_by == principal.user_id


def load_readable(principal: Principal, series: EventSeries | None) -> EventSeries:
    # an id of another club reveals nothing: it is simply not found
    if series is None or not in_same_org(principal, series.org_id):
        raise NotFound("No such event.")
    if not can_read(principal, series):
        raise Forbidden("You can see your teams' events and the events you take part in.")
    return series


def load_editable(principal: Principal, series: EventSeries | None) -> EventSeries:
    series = load_readable(principal, series)
    if not can_edit(principal, series):
        raise Forbidden("Only the team's coaches and club admins can change this event.")
    return series


def ensure_can_create(principal: Principal, team_id: uuid.UUID | None, player_ids: list[uuid.UUID], kind: str) -> None:
    if team_id is not None:
        if not is_staff_of(principal, team_id):
            raise Forbidden("Only the team's coaches and club admins can schedule its events.", field="team_id")
        return
    if kind == "medical_appointment" and principal.has_any_role("medical_staff"):
        return
    if is_admin(principal) or principal.has_any_role(*TEAM_STAFF):
        return
    if all(principal.acts_for(p) for p in player_ids) and kind in ("meeting", "other", "medical_appointment"):
        return  # a person keeps their own (or their minor's) appointments
    raise Forbidden("You can schedule events for yourself only.", field="player_ids")


@dataclass(frozen=True)
class ListScope:
    """What a list may show: everything in the club (``everything``) or the events of ``team_ids``,
    those with any of ``player_ids`` and those created by ``creator_id``; ``staff_team_ids`` also see staff-only."""

    everything: bool
    team_ids: frozenset[uuid.UUID]
    staff_team_ids: frozenset[uuid.UUID]
    player_ids: frozenset[uuid.UUID]
    creator_id: uuid.UUID


def list_scope(principal: Principal) -> ListScope:
    staff_teams = principal.team_ids if principal.has_any_role(*TEAM_STAFF) else frozenset()
    return ListScope(
        everything=is_admin(principal),
        team_ids=principal.team_ids,
        staff_team_ids=staff_teams,
        player_ids=principal.guardian_of | {principal.user_id},
        creator_id=principal.user_id,
    )


def ensure_can_filter(principal: Principal, team_id: uuid.UUID | None, player_id: uuid.UUID | None) -> None:
    if team_id is not None and not is_admin(principal) and team_id not in principal.team_ids:
        raise Forbidden("You can list the events of your own teams only.", field="team_id")
    if player_id is not None and not (
        is_admin(principal) or principal.acts_for(player_id) or principal.has_any_role(*TEAM_STAFF)
    ):
        raise Forbidden("You can list your own events (or your minor's) only.", field="player_id")


def ensure_can_manage_resources(principal: Principal) -> None:
    require_any_role(principal, *ADMINS, action="manage rinks, rooms and other resources")


def load_resource(principal: Principal, resource: Resource | None) -> Resource:
    if resource is None or not in_same_org(principal, resource.org_id):
        raise NotFound("No such resource.", field="resource_id")
    return resource


def ensure_can_book(principal: Principal, team_id: uuid.UUID | None) -> None:
    if is_admin(principal):
        return
    require_any_role(principal, *TEAM_STAFF, action="book resources")
    if team_id is not None and team_id not in principal.team_ids:
        raise Forbidden("You can book for your own teams only.", field="team_id")


def load_booking(principal: Principal, booking: Booking | None) -> Booking:
    if booking is None or not in_same_org(principal, booking.org_id):
        raise NotFound("No such booking.")
    if not (
        is_admin(principal) or booking.requested_by == principal.user_id or is_staff_of(principal, booking.team_id)
    ):
        raise Forbidden("Only who booked, the team's coaches and club admins can see this booking.")
    return booking


def ensure_can_answer_for(principal: Principal, player_id: uuid.UUID) -> None:
    if not principal.acts_for(player_id):
        raise Forbidden("You can answer for yourself (or a minor you are guardian of) only.", field="player_id")


def ensure_can_take_attendance(principal: Principal, series: EventSeries) -> None:
    if not is_staff_of(principal, series.team_id) and not (series.team_id is None and can_edit(principal, series)):
        raise Forbidden("Only the team's coaches and club admins take attendance.")


def ensure_can_read_answers(principal: Principal, series: EventSeries) -> None:
    if not (is_staff_of(principal, series.team_id) or can_edit(principal, series)):
        raise Forbidden("Only the team's coaches and club admins see everyone's answers.")


def ensure_can_open_feed(principal: Principal, team_id: uuid.UUID | None) -> None:
    if team_id is not None and not is_admin(principal) and team_id not in principal.team_ids:
        raise Forbidden("You can subscribe to your own teams' calendars only.", field="team_id")
