"""The club's rosters, names and availability as the calendar's consumer receives them from users and medical events."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from contracts import medical, users
from tests.messaging import apply_events

API = "/api/v1/calendar"


ORG_ROLES = frozenset({"platform_admin", "club_admin", "medical_staff"})


def envelope(model, org_id, data) -> object:
    return model(event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), org_id=org_id, data=data, actor_id=None)


def feed_read_models(settings, events) -> int:
    """The calendar's consumer handling ``events`` in this order; how many it applied."""
    return apply_events(settings, "calendar", events)


def roster_events(club) -> list:
    """What the users service publishes about the club: teams, people (with club roles), memberships, guardians."""
    events = [
        envelope(users.TeamCreatedEvent, club.org_id, users.TeamCreated(team_id=club.team_id, name="U16")),
        envelope(users.TeamCreatedEvent, club.org_id, users.TeamCreated(team_id=club.other_team_id, name="U18")),
    ]
    memberships = {
        "coach": (club.team_id, "coach"),
        "player": (club.team_id, "player"),
        "teammate": (club.team_id, "player"),
        "other_coach": (club.other_team_id, "coach"),
        "other_player": (club.other_team_id, "player"),
        "parent": (club.team_id, "parent"),
    }
    for name, person in club.people.items():
        full_name = name.replace("_", " ").title()
        org_roles = sorted(person.principal.roles & ORG_ROLES)
        created = users.UserCreated(user_id=person.id, full_name=full_name, org_roles=org_roles)
        events.append(envelope(users.UserCreatedEvent, club.org_id, created))
        if name in memberships:
            team_id, role = memberships[name]
            events.append(
                envelope(
                    users.MembershipAddedEvent,
                    club.org_id,
                    users.MembershipAdded(membership_id=uuid.uuid4(), user_id=person.id, team_id=team_id, role=role),
                )
            )
    if "parent" in club.people:
        link = users.GuardianLinked(link_id=uuid.uuid4(), guardian_id=club["parent"].id, minor_id=club["player"].id)
        events.append(envelope(users.GuardianLinkedEvent, club.org_id, link))
    return events


def availability(club, player_id, status, restrictions=(), effective_from=date(2020, 1, 1), until=None):
    return envelope(
        medical.AvailabilityChangedEvent,
        club.org_id,
        medical.AvailabilityChanged(
            player_id=player_id,
            status=status,
            restrictions=list(restrictions),
            effective_from=effective_from,
            expected_until=until,
        ),
    )
