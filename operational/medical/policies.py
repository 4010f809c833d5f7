"""Who may see and do what in the medical service. Pure rules over the caller's token and the loaded object; the
loaders (loaders.py) apply them to every id a client sends.

- Clinical detail (problems, diagnoses, treatments, return to play, questionnaire answers, the access log): medical
  staff of the club, the player, and a minor's guardian. Nobody else, club admins included.
- Availability (status, coded restrictions, expected return): those, plus the coaches and physical trainers of the
  player's teams and club admins.
- Only medical staff record and change clinical data and set availability; players (or a guardian) answer the weekly
  questionnaire and read their own record and who looked at it.
- Another club's ids are not found (404), whatever the role.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from operational.kit.auth import Principal
from operational.kit.roster import RosterPlayer, RosterTeam

MEDICAL_STAFF = "medical_staff"
ADMINS = frozenset({"club_admin", "platform_admin"})
TEAM_STAFF = frozenset({"coach", "physical_trainer"})


def is_medical_staff(principal: Principal) -> bool:
    return principal.has_any_role(MEDICAL_STAFF)


def is_admin(principal: Principal) -> bool:
    return principal.has_any_role(*ADMINS)


def staffs_any(principal: Principal, team_ids) -> bool:
    return principal.has_any_role(*TEAM_STAFF) and bool(principal.team_ids & frozenset(team_ids))


def purpose_of(principal: Principal, player_id: uuid.UUID) -> tuple[str, str]:
    """The caller's role in the access log, and the purpose of their access."""
    if is_medical_staff(principal):
        return "medical_staff", "care"
    if player_id == principal.user_id:
        return "player", "own record"
    if player_id in principal.guardian_of:
        return "guardian", "guardian of a minor"
    return "other", "other"


# --- clinical records -----------------------------------------------------------------------------------------------
def can_read_clinical(principal: Principal, player_id: uuid.UUID) -> bool:
    return is_medical_staff(principal) or principal.acts_for(player_id)


def can_change_clinical(principal: Principal, _obj=None) -> bool:
    return is_medical_staff(principal)


def can_read_record(principal: Principal, record) -> bool:
    return can_read_clinical(principal, record.player_id)


# --- players and teams ----------------------------------------------------------------------------------------------
def can_see_availability(principal: Principal, player: RosterPlayer) -> bool:
    return can_read_clinical(principal, player.id) or is_admin(principal) or staffs_any(principal, player.team_ids)


def can_see_clinical_of(principal: Principal, player: RosterPlayer) -> bool:
    return can_read_clinical(principal, player.id)


def can_see_team(principal: Principal, team: RosterTeam) -> bool:
    return is_medical_staff(principal) or is_admin(principal) or team.id in principal.team_ids


# --- lists ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClinicalScope:
    """Whose clinical records a list may return: everyone's in the club (``player_ids`` None) or these players'."""

    player_ids: frozenset[uuid.UUID] | None


def clinical_scope(principal: Principal) -> ClinicalScope:
    if is_medical_staff(principal):
        return ClinicalScope(None)
    return ClinicalScope(principal.guardian_of | {principal.user_id})


@dataclass(frozen=True)
class AvailabilityScope:
    """Whose availability a list may return: everyone's in the club, or the caller's (and minors') plus the players
    of the teams they coach."""

    everything: bool
    player_ids: frozenset[uuid.UUID]
    team_ids: frozenset[uuid.UUID]


def availability_scope(principal: Principal) -> AvailabilityScope:
    own = principal.guardian_of | {principal.user_id}
    if is_medical_staff(principal) or is_admin(principal):
        return AvailabilityScope(True, own, frozenset())
    teams = principal.team_ids if principal.has_any_role(*TEAM_STAFF) else frozenset()
    return AvailabilityScope(False, own, frozenset(teams))
