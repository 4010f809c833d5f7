"""Every id a client sends to the training service, in a path, a query or a body, is resolved here: one loader per
object type, looked up in the caller's club (another club's id, or no such thing: 404) and checked against the
caller's right to it (403). Routers take them as dependencies, services call ``load`` for ids in bodies.

Players and teams are known from the roster read model; a player acting for themself (or a guardian for their minor)
is known from the signed token even before the read model has caught up with a new membership.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Query, params
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import CurrentUser, Principal
from operational.kit.db import SessionDep
from operational.kit.errors import Forbidden, NotFound
from operational.kit.loaders import Loader
from operational.kit.policies import in_same_org
from operational.training import policies, repository
from operational.training.policies import RosterPlayer, RosterTeam
from operational.training.programs import repository as programs_repository

T = TypeVar("T")


def _never(_obj: Any) -> bool:
    return False


@dataclass(frozen=True)
class ClubLoader(Loader[T]):
    """A :class:`Loader` whose lookup is itself scoped by the caller's club: ``fetch(session, principal, id)``.

    ``shared(obj)`` marks objects every club may use (the predefined exercise library).
    """

    shared: Callable[[T], bool] = _never

    async def load(
        self, session: AsyncSession, principal: Principal, object_id: uuid.UUID, *, field: str | None = None
    ):
        obj = await self.fetch(session, principal, object_id)
        if obj is None or not (self.shared(obj) or in_same_org(principal, self.org_of(obj))):
            raise NotFound(f"No such {self.noun}.", field=field)
        if not self.allowed(principal, obj):
            raise Forbidden(self.denied, field=field)
        return obj

    def narrowed(self, allowed: Callable[[Principal, T], bool], denied: str) -> ClubLoader[T]:
        wider = self.allowed
        return replace(self, allowed=lambda p, o: wider(p, o) and allowed(p, o), denied=denied)

    def from_path(self, parameter: str) -> Any:
        """An ``Annotated`` dependency that loads the object named by the path parameter ``parameter``."""

        async def dependency(session: AsyncSession, principal: Principal, **named: uuid.UUID) -> T:
            return await self.load(session, principal, named[parameter])

        return self._depends(dependency, parameter, Path(), "load")

    def from_query(self, parameter: str, description: str) -> Any:
        """An ``Annotated`` dependency for an optional query parameter naming one of these objects (None if absent)."""

        async def dependency(session: AsyncSession, principal: Principal, **named: uuid.UUID | None) -> T | None:
            object_id = named[parameter]
            return None if object_id is None else await self.load(session, principal, object_id, field=parameter)

        return self._depends(dependency, parameter, Query(description=description), "filter_by")

    def _depends(self, dependency, parameter: str, source, verb: str) -> Any:
        # The signature is built from objects, not annotations: FastAPI must see the parameter under its own name
        # (postponed annotations could not name a local variable).
        required = isinstance(source, params.Path)
        id_type = uuid.UUID if required else uuid.UUID | None
        dependency.__signature__ = inspect.Signature(
            [
                inspect.Parameter("session", inspect.Parameter.KEYWORD_ONLY, annotation=SessionDep),
                inspect.Parameter("principal", inspect.Parameter.KEYWORD_ONLY, annotation=CurrentUser),
                inspect.Parameter(
                    parameter,
                    inspect.Parameter.KEYWORD_ONLY,
                    annotation=Annotated[id_type, source],
                    default=inspect.Parameter.empty if required else None,
                ),
            ]
        )
        dependency.__name__ = f"{verb}_{self.noun.replace(' ', '_')}"
        return Annotated[Any, Depends(dependency)]


def _in_club(lookup: Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[Any]]):
    async def fetch(session: AsyncSession, principal: Principal, object_id: uuid.UUID):
        return await lookup(session, principal.org_id, object_id)

    return fetch


async def _fetch_player(session: AsyncSession, principal: Principal, player_id: uuid.UUID) -> RosterPlayer | None:
    teams = await repository.teams_of_player(session, principal.org_id, player_id)
    if teams or principal.acts_for(player_id):
        return RosterPlayer(id=player_id, org_id=principal.org_id, team_ids=frozenset(teams))
    return None


async def _fetch_team(session: AsyncSession, principal: Principal, team_id: uuid.UUID) -> RosterTeam | None:
    if team_id in principal.team_ids or await repository.team_in_org(session, principal.org_id, team_id):
        return RosterTeam(id=team_id, org_id=principal.org_id)
    return None


def _staff(principal: Principal, _obj: Any) -> bool:
    return principal.has_any_role(*policies.STAFF)


# --- records about a player -----------------------------------------------------------------------------------------
CHANGE_RECORD = "The player, their guardian, or a coach or physical trainer of the player's team can change this."

rpe_log_loader = ClubLoader(
    "RPE log",
    _in_club(repository.get_rpe_log),
    allowed=policies.can_read_record,
    denied="You can see your own logs (and your minor's), and coaches and physical trainers their teams' logs.",
)
rpe_log_editor = rpe_log_loader.narrowed(policies.can_change_record, CHANGE_RECORD)

wellness_loader = ClubLoader(
    "wellness entry",
    _in_club(repository.get_wellness),
    allowed=policies.can_read_record,
    denied="You can see your own answers (and your minor's), and coaches and physical trainers their teams'.",
)
wellness_editor = wellness_loader.narrowed(policies.can_change_record, CHANGE_RECORD)

physical_test_loader = ClubLoader("physical test", _in_club(repository.get_physical_test))
test_result_loader = ClubLoader(
    "test result",
    _in_club(repository.get_test_result),
    allowed=policies.can_read_record,
    denied="You can see your own results, and coaches and physical trainers their teams'.",
)

# --- people and teams -----------------------------------------------------------------------------------------------
player_loader = ClubLoader("player", _fetch_player)
visible_player = player_loader.narrowed(
    policies.can_see_player, "You can see your own training data (and your minor's), and staff their teams' players."
)
coached_player = player_loader.narrowed(policies.can_coach_player, "That player is not on a team you coach.")

team_loader = ClubLoader("team", _fetch_team)
visible_team = team_loader.narrowed(policies.can_see_team, "You are not a member of that team.")
managed_team = team_loader.narrowed(
    policies.can_manage_team, "Only the team's coaches and physical trainers (or a club admin) can do that."
)

# --- library, templates, sessions -----------------------------------------------------------------------------------
exercise_loader = ClubLoader(
    "exercise", _in_club(programs_repository.get_exercise), shared=lambda exercise: exercise.org_id is None
)
exercise_editor = exercise_loader.narrowed(
    _staff, "Only coaches, physical trainers and club admins can change exercises."
).narrowed(
    lambda _p, exercise: exercise.org_id is not None,
    "Predefined exercises cannot be changed; add your own version instead.",
)

template_loader = ClubLoader("workout template", _in_club(programs_repository.get_template))
template_editor = template_loader.narrowed(
    _staff, "Only coaches, physical trainers and club admins can change workout templates."
)

session_loader = ClubLoader(
    "training session",
    _in_club(programs_repository.get_session_view),
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
TeamFilter = visible_team.from_query("team_id", "Only what is filed under this team")
PlayerFilter = visible_player.from_query("player_id", "Only this player's")
