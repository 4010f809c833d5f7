"""Every id a client sends to the training service, in a path, a query or a body, is resolved here: one loader per
object type, looked up in the caller's club (another club's id, or no such thing: 404) and checked against the
caller's right to it (403). Routers take them as dependencies, services call ``load`` for ids in bodies.

Players and teams are known from the roster read model; a player acting for themself (or a guardian for their minor)
is known from the signed token even before the read model has caught up with a new membership.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.loaders import Loader, in_club
from operational.kit.pagination import list_query
from operational.kit.roster import roster_fetches
from operational.training import policies, repository
from operational.training.programs import repository as programs_repository

_fetch_player, _fetch_team = roster_fetches(repository)


def _staff(principal: Principal, _obj: Any) -> bool:
    return principal.has_any_role(*policies.STAFF)


# --- records about a player -----------------------------------------------------------------------------------------
CHANGE_RECORD = "The player, their guardian, or a coach or physical trainer of the player's team can change this."

rpe_log_loader = Loader(
    "RPE log",
    in_club(repository.get_rpe_log),
    allowed=policies.can_read_record,
    denied="You can see your own logs (and your minor's), and coaches and physical trainers their teams' logs.",
)
rpe_log_editor = rpe_log_loader.narrowed(policies.can_change_record, CHANGE_RECORD)

wellness_loader = Loader(
    "wellness entry",
    in_club(repository.get_wellness),
    allowed=policies.can_read_record,
    denied="You can see your own answers (and your minor's), and coaches and physical trainers their teams'.",
)
wellness_editor = wellness_loader.narrowed(policies.can_change_record, CHANGE_RECORD)

physical_test_loader = Loader("physical test", in_club(repository.get_physical_test))
test_result_loader = Loader(
    "test result",
    in_club(repository.get_test_result),
    allowed=policies.can_read_record,
    denied="You can see your own results, and coaches and physical trainers their teams'.",
)

# --- people and teams -----------------------------------------------------------------------------------------------
player_loader = Loader("player", _fetch_player)
visible_player = player_loader.narrowed(
    policies.can_see_player, "You can see your own training data (and your minor's), and staff their teams' players."
)
coached_player = player_loader.narrowed(policies.can_coach_player, "That player is not on a team you coach.")

team_loader = Loader("team", _fetch_team)
visible_team = team_loader.narrowed(policies.can_see_team, "You are not a member of that team.")
managed_team = team_loader.narrowed(
    policies.can_manage_team, "Only the team's coaches and physical trainers (or a club admin) can do that."
)

# --- the club's calendar (a read model of calendar events) ------------------------------------------------------------
calendar_event_loader = Loader("calendar event", in_club(repository.get_calendar_event))
plannable_calendar_event = calendar_event_loader.narrowed(
    lambda p, entry: entry.team_id is None or policies.is_admin(p) or policies.staffs(p, entry.team_id),
    "That calendar event is another team's; plan for your own teams' events.",
)

# --- library, templates, sessions -----------------------------------------------------------------------------------
exercise_loader = Loader(
    "exercise", in_club(programs_repository.get_exercise), shared=lambda exercise: exercise.org_id is None
)
exercise_editor = exercise_loader.narrowed(
    _staff, "Only coaches, physical trainers and club admins can change exercises."
).narrowed(
    lambda _p, exercise: exercise.org_id is not None,
    "Predefined exercises cannot be changed; add your own version instead.",
)

template_loader = Loader("workout template", in_club(programs_repository.get_template))
template_editor = template_loader.narrowed(
    _staff, "Only coaches, physical trainers and club admins can change workout templates."
)

session_loader = Loader(
    "training session",
    in_club(programs_repository.get_session_view),
    allowed=policies.can_read_session,
    denied="You are not in this session.",
)
overseen_session = session_loader.narrowed(
    policies.oversees_session,
    "Only the session's planner, its team's coaches and physical trainers, or a club admin can do that.",
)

# dependencies for path parameters
ReadableRpeLog = rpe_log_loader.from_path("log_id")
EditableRpeLog = rpe_log_editor.from_path("log_id")
ReadableWellness = wellness_loader.from_path("wellness_id")
EditableWellness = wellness_editor.from_path("wellness_id")
PhysicalTestInPath = physical_test_loader.from_path("test_id")
ReadableTestResult = test_result_loader.from_path("result_id")
ManagedTeam = managed_team.from_path("team_id")
ExerciseInPath = exercise_loader.from_path("exercise_id")
EditableExercise = exercise_editor.from_path("exercise_id")
TemplateInPath = template_loader.from_path("template_id")
EditableTemplate = template_editor.from_path("template_id")
ReadableSession = session_loader.from_path("session_id")
OverseenSession = overseen_session.from_path("session_id")

# dependencies for the filters every list takes
TEAM_FILTER = "Only what is filed under this team"
PLAYER_FILTER = "Only this player's"
TeamFilter = visible_team.from_query("team_id", TEAM_FILTER)
PlayerFilter = visible_player.from_query("player_id", PLAYER_FILTER)
# the same filters, loaded by the endpoint with its session and caller (the lists read on every request), in one
# dependency with the list's page and dates: a list of player records' whole query
RecordListQuery = list_query(
    dated=True,
    player=visible_player.in_query("player_id", PLAYER_FILTER),
    team=visible_team.in_query("team_id", TEAM_FILTER),
)


async def answering_for(
    session: AsyncSession, principal: Principal, player_id: uuid.UUID | None, *, action: str
) -> uuid.UUID:
    """Whose log or questionnaire this is (see ``policies.answering_for``), a named player resolved in the caller's
    club first: another club's player is not found, one of this club the caller does not answer for is forbidden."""
    if player_id is not None:
        await player_loader.load(session, principal, player_id, field="player_id")
    return policies.answering_for(principal, player_id, action=action)
