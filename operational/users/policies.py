"""Who may do what to which organization, team and person in the users service.

Rules: an id from another club is 404 (it reveals nothing); an action the caller's role does not allow on something
they can see is 403. Every id a client sends is resolved by a loader below (``team_loader``, ``person_loader``).

Putting someone into a team is a club admin's act: a team's staff see (and may act on) the people of their team, so
whoever may add members decides what staff can see. A coach brings new people in by invitation only — the person
(or, for a minor, the guardian) accepts it by setting a password.

The directory rule (:func:`audience`): teammates see names, positions and numbers; e-mail addresses, dates of birth
and invitation state are for staff (club admins, the team's coaches and trainers, medical staff), the person and their
guardian.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

from operational.kit.auth import Principal
from operational.kit.errors import Forbidden
from operational.kit.loaders import Loader
from operational.kit.policies import require_any_role
from operational.users import repository
from operational.users.models import Membership, Team, User

ADMINS = ("club_admin", "platform_admin")
TEAM_STAFF = frozenset({"coach", "physical_trainer", "medical_staff"})
ROLES_A_COACH_MAY_INVITE = frozenset({"player", "parent"})

Audience = Literal["full", "directory"]


def is_admin(principal: Principal) -> bool:
    return principal.has_any_role(*ADMINS)


def ensure_admin(principal: Principal, action: str) -> None:
    require_any_role(principal, *ADMINS, action=action)


# --- teams ----------------------------------------------------------------------------------------------------------
def can_see_team(principal: Principal, team: Team) -> bool:
    return is_admin(principal) or team.id in principal.team_ids


def visible_team_ids(principal: Principal) -> frozenset[uuid.UUID] | None:
    """None: every team of the club."""
    return None if is_admin(principal) else principal.team_ids


team_loader: Loader[Team] = Loader(
    "team", repository.find_team, allowed=can_see_team, denied="You are not a member of this team."
)


def ensure_can_add_member(principal: Principal) -> None:
    if not is_admin(principal):
        raise Forbidden(
            "Only club admins can put someone into a team; to bring in someone new, invite them by e-mail.",
        )


def ensure_can_remove_member(principal: Principal, team: Team, role: str) -> None:
    if is_admin(principal):
        return
    if principal.has_any_role("coach") and team.id in principal.team_ids and role in ROLES_A_COACH_MAY_INVITE:
        return
    raise Forbidden("Only club admins, or this team's coach for players and parents, can change the roster.")


def ensure_can_invite(principal: Principal, team: Team | None, role: str | None, org_roles: list[str]) -> None:
    """Club admins invite anyone; a coach invites new players and parents into their own team."""
    if is_admin(principal):
        return
    if org_roles:
        raise Forbidden("Only club admins can grant club-wide roles.", field="org_roles")
    if team is None or role is None:
        raise Forbidden("Only club admins can invite someone without a team.", field="team_id")
    if not (principal.has_any_role("coach") and team.id in principal.team_ids and role in ROLES_A_COACH_MAY_INVITE):
        raise Forbidden("Only club admins, or this team's coach for players and parents, can invite.", field="role")


# --- people ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    """A member as policies judge them: the account and the teams they are in."""

    user: User
    memberships: list[Membership] = field(default_factory=list)

    @property
    def id(self) -> uuid.UUID:
        return self.user.id

    @property
    def org_id(self) -> uuid.UUID:
        return self.user.org_id

    @property
    def team_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(m.team_id for m in self.memberships)


async def fetch_person(session, user_id: uuid.UUID) -> Person | None:
    user = await repository.find_user(session, user_id)
    if user is None or user.anonymized_at is not None:
        return None
    return Person(user, await repository.memberships_of(session, user.id))


def can_see_person(principal: Principal, person: Person) -> bool:
    # staff see their teams' people; players and parents see their teammates (a roster, in the directory view)
    return principal.acts_for(person.id) or is_admin(principal) or bool(person.team_ids & principal.team_ids)


person_loader: Loader[Person] = Loader(
    "person", fetch_person, allowed=can_see_person, denied="You can only see people in your own teams."
)


def can_edit_profile(principal: Principal, person: Person) -> bool:
    return principal.acts_for(person.id) or is_admin(principal)


editable_person_loader = person_loader.narrowed(
    can_edit_profile, "You can only change your own profile, or that of a minor you are guardian of."
)


@dataclass(frozen=True)
class Viewer:
    """The caller, with the teams in which they are staff (a token says which teams, not in which role)."""

    principal: Principal
    staff_team_ids: frozenset[uuid.UUID]


async def viewer_of(session, principal: Principal) -> Viewer:
    if is_admin(principal):
        return Viewer(principal, frozenset())
    memberships = await repository.memberships_of(session, principal.user_id)
    club_wide_staff = bool(TEAM_STAFF & set(await repository.org_roles_of(session, principal.user_id)))
    staff_teams = {m.team_id for m in memberships if club_wide_staff or m.role in TEAM_STAFF}
    return Viewer(principal, frozenset(staff_teams))


def audience(viewer: Viewer, person: Person) -> Audience:
    """Which view of ``person`` the caller gets: ``full`` (contact details, date of birth, invitation) or
    ``directory`` (name, position, number and the teams they share)."""
    principal = viewer.principal
    if is_admin(principal) or principal.acts_for(person.id) or person.team_ids & viewer.staff_team_ids:
        return "full"
    return "directory"
