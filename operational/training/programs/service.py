"""Exercise library, workout templates and scheduled sessions personalised per player.

Loads given as a percentage are resolved from each player's latest result of the exercise's reference test (80 % of
a tested 120 kg 1RM → 95 kg, rounded to 2.5 kg plates); exercises unsuitable under a player's medical restrictions are
flagged with the reason. Objects named by id arrive loaded (loaders.py) or are loaded here for ids in bodies. Never
commits: the request's unit of work does.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, Forbidden, InvalidValue, NotFound
from operational.kit.pagination import DateRange, PageParams
from operational.training import events, live, policies, repository
from operational.training.dates import club_zone, local_time
from operational.training.loaders import (
    coached_player,
    exercise_loader,
    managed_team,
    plannable_calendar_event,
    player_loader,
    template_loader,
)
from operational.training.models import Exercise, SessionAssignment, TrainingSession, WorkoutTemplate, outbox
from operational.training.policies import SessionView
from operational.training.programs import repository as programs_repository
from operational.training.programs.personalise import assignment_read, personalise
from operational.training.programs.schemas import (
    ExerciseCreate,
    ExerciseUpdate,
    SessionCreate,
    SessionRead,
    SessionSummary,
    TemplateCreate,
    TemplateUpdate,
)


# --- exercises ------------------------------------------------------------------------------------------------------
async def create_exercise(session: AsyncSession, principal: Principal, body: ExerciseCreate) -> Exercise:
    policies.ensure_staff(principal, "add exercises")
    exercise = Exercise(id=uuid.uuid4(), org_id=principal.org_id, **body.model_dump())
    await repository.add(session, exercise)
    await outbox.record(session, events.exercise_changed(exercise, principal, created=True))
    return exercise


async def update_exercise(session, principal: Principal, exercise: Exercise, body: ExerciseUpdate) -> Exercise:
    """Change the club's own ``exercise`` (loaded for editing)."""
    for name, value in body.changes().items():
        setattr(exercise, name, value)
    await session.flush()
    await outbox.record(session, events.exercise_changed(exercise, principal, created=False))
    return exercise


async def list_exercises(session, principal: Principal, page: PageParams, **filters) -> tuple[list[Exercise], int]:
    return await programs_repository.list_exercises(session, principal.org_id, page, **filters)


# --- templates ------------------------------------------------------------------------------------------------------
async def _check_exercises(session, principal: Principal, blocks) -> None:
    """Every exercise a template names is the club's own or a predefined one."""
    for b, block in enumerate(blocks):
        for e, item in enumerate(block.exercises):
            field = f"blocks.{b}.exercises.{e}.exercise_id"
            await exercise_loader.load(session, principal, item.exercise_id, field=field)


async def create_template(session: AsyncSession, principal: Principal, body: TemplateCreate) -> WorkoutTemplate:
    policies.ensure_staff(principal, "create workout templates")
    await _check_exercises(session, principal, body.blocks)
    template = WorkoutTemplate(
        id=uuid.uuid4(),
        org_id=principal.org_id,
        name=body.name,
        description=body.description,
        blocks=[block.model_dump(mode="json") for block in body.blocks],
        created_by=principal.user_id,
        updated_at=datetime.now(UTC),
    )
    await repository.add(session, template)
    await outbox.record(session, events.template_changed(template, principal, created=True))
    return template


async def update_template(session, principal: Principal, template: WorkoutTemplate, body: TemplateUpdate):
    """Change ``template`` (loaded for editing); sessions already planned keep their prescriptions."""
    changes = body.changes()
    if body.blocks is not None:
        await _check_exercises(session, principal, body.blocks)
        changes["blocks"] = [block.model_dump(mode="json") for block in body.blocks]
    for name, value in changes.items():
        setattr(template, name, value)
    template.updated_at = datetime.now(UTC)
    await session.flush()
    await outbox.record(session, events.template_changed(template, principal, created=False))
    return template


async def list_templates(
    session, principal: Principal, page: PageParams, *, search, exercise, team, dates: DateRange
) -> tuple[list[WorkoutTemplate], int]:
    return await programs_repository.list_templates(
        session,
        principal.org_id,
        page,
        search=search,
        exercise_id=exercise.id if exercise else None,
        team_id=team.id if team else None,
        dates=dates,
        zone=club_zone(principal),
    )


# --- sessions -------------------------------------------------------------------------------------------------------
async def _players_to_plan(session: AsyncSession, principal: Principal, body: SessionCreate) -> list[uuid.UUID]:
    """Who trains: the listed players (each one the caller coaches, and of the team when one is named), or the
    named team's roster today."""
    roster = None
    if body.team_id is not None:
        team = await managed_team.load(session, principal, body.team_id, field="team_id")
        roster = set(await repository.players_of_team(session, principal.org_id, team.id))
    players = await coached_player.load_all(session, principal, body.player_ids, field="player_ids")
    if roster is None:
        return [player.id for player in players]
    if not players:
        if not roster:
            raise InvalidValue("The team has no players yet; list the players (player_ids).", field="team_id")
        return sorted(roster)
    for index, player in enumerate(players):
        if player.id not in roster:
            raise InvalidValue(
                "That player is not on the team's roster; leave them out, or plan the session without team_id.",
                field=f"player_ids.{index}",
            )
    return [player.id for player in players]


async def schedule_session(session: AsyncSession, principal: Principal, body: SessionCreate) -> SessionRead:
    policies.ensure_staff(principal, "plan training")
    player_ids = await _players_to_plan(session, principal, body)
    template = None
    if body.template_id is not None:
        template = await template_loader.load(session, principal, body.template_id, field="template_id")
    if body.calendar_event_id is not None:
        await plannable_calendar_event.load(session, principal, body.calendar_event_id, field="calendar_event_id")
    training_session = TrainingSession(
        id=uuid.uuid4(),
        org_id=principal.org_id,
        template_id=template.id if template else None,
        team_id=body.team_id,
        title=body.title,
        starts_at=body.starts_at,
        planned_duration_minutes=body.planned_duration_minutes,
        planned_rpe=body.planned_rpe,
        calendar_event_id=body.calendar_event_id,
        created_by=principal.user_id,
    )
    await repository.add(session, training_session)
    blocks = template.blocks if template else []
    wanted = {uuid.UUID(i["exercise_id"]) for b in blocks for i in b["exercises"]}
    exercises = await programs_repository.exercises_by_id(session, principal.org_id, wanted)
    for player_id in player_ids:
        latest = await repository.latest_results_by_test_name(session, principal.org_id, player_id)
        session.add(
            SessionAssignment(
                id=uuid.uuid4(),
                org_id=principal.org_id,
                session_id=training_session.id,
                player_id=player_id,
                prescription=personalise(blocks, exercises, latest),
            )
        )
    await session.flush()
    await outbox.record(session, events.session_scheduled(training_session, player_ids, principal))
    view = await programs_repository.get_session_view(session, principal.org_id, training_session.id)
    return await read_session(session, principal, view)


def summary(training_session: TrainingSession) -> SessionSummary:
    return SessionSummary(
        id=training_session.id,
        title=training_session.title,
        starts_at=training_session.starts_at,
        template_id=training_session.template_id,
        team_id=training_session.team_id,
        planned_duration_minutes=training_session.planned_duration_minutes,
        planned_rpe=training_session.planned_rpe,
        calendar_event_id=training_session.calendar_event_id,
        cancelled=training_session.cancelled_at is not None,
    )


async def _notes_readable_by(session, principal: Principal, player_ids) -> set[uuid.UUID]:
    """The players whose medical note for staff the caller may read: those of the teams the caller coaches or trains
    (by the roster, which knows the role per team); never other players, admins without a team, or other clubs."""
    staffed = await repository.teams_staffed_by(session, principal.org_id, principal.user_id)
    if not staffed:
        return set()
    teams = await repository.teams_of_players(session, principal.org_id, player_ids)
    return {player_id for player_id, player_teams in teams.items() if player_teams & staffed}


async def read_session(session, principal: Principal, view: SessionView) -> SessionRead:
    """``view`` (loaded for reading): every assignment for those who oversee it, a player's own part otherwise."""
    assignments = await programs_repository.assignments_of(session, principal.org_id, view.session.id)
    if not policies.oversees_session(principal, view):
        assignments = [a for a in assignments if principal.acts_for(a.player_id)]
    player_ids = [a.player_id for a in assignments]
    exercise_ids = {uuid.UUID(i["exercise_id"]) for a in assignments for b in a.prescription for i in b["exercises"]}
    exercises = await programs_repository.exercises_by_id(session, principal.org_id, exercise_ids)
    availability = await repository.availability_of(session, principal.org_id, player_ids)
    notes = await _notes_readable_by(session, principal, player_ids)
    return SessionRead(
        **summary(view.session).model_dump(),
        assignments=[
            assignment_read(a, exercises, availability.get(a.player_id), show_note=a.player_id in notes)
            for a in assignments
        ],
    )


async def list_sessions(
    session, principal: Principal, page: PageParams, *, team, player, dates: DateRange
) -> tuple[list[TrainingSession], int]:
    return await programs_repository.list_sessions(
        session,
        principal.org_id,
        policies.session_scope(principal),
        page,
        zone=club_zone(principal),
        team_id=team.id if team else None,
        player_id=player.id if player else None,
        dates=dates,
    )


async def progress(session, principal: Principal, view: SessionView, player_id: uuid.UUID, step: str, performed):
    """Mark ``player_id``'s part of ``view`` (loaded for reading) started or completed: the player, their guardian,
    or those who oversee the session (its team's staff …), once the session has begun."""
    await player_loader.load(session, principal, player_id, field="player_id")
    if not (principal.acts_for(player_id) or policies.oversees_session(principal, view)):
        raise Forbidden("You can mark your own part of a session (or your minor's); its team's staff anyone's.")
    assignment = await programs_repository.assignment(session, principal.org_id, view.session.id, player_id)
    if assignment is None:
        raise NotFound("That player is not in this session.", field="player_id")
    training_session = view.session
    if training_session.cancelled_at is not None:
        raise Conflict("This session was cancelled.")
    now = datetime.now(UTC)
    if now < training_session.starts_at:
        starts = local_time(principal, training_session.starts_at)
        raise Conflict(f"The session starts at {starts} (your club's time); mark it once it has begun.")
    if step == "start":
        assignment.status, assignment.started_at = "started", assignment.started_at or now
    else:
        assignment.status, assignment.completed_at = "completed", now
        assignment.started_at = assignment.started_at or now
        if performed is not None:
            exercise_ids = [item.exercise_id for item in performed]
            await exercise_loader.load_all(session, principal, exercise_ids, field="performed")
            assignment.performed = [item.model_dump(mode="json") for item in performed]
    await session.flush()
    update = {"player_id": str(player_id), "status": assignment.status, "at": now.isoformat()}
    live.publish_after_commit(session, training_session.id, update)
    return assignment


async def cancel_session(session, principal: Principal, view: SessionView, reason: str | None) -> None:
    """Cancel ``view`` (loaded for overseeing); cancelling twice changes nothing."""
    training_session = view.session
    if training_session.cancelled_at is None:
        training_session.cancelled_at = datetime.now(UTC)
        await session.flush()
        await outbox.record(session, events.session_cancelled(training_session, reason, principal))


async def live_snapshot(session, principal: Principal, view: SessionView) -> list[dict]:
    """Who has started, completed and logged RPE so far (the first message on the live channel)."""
    read = await read_session(session, principal, view)
    logged = await repository.players_who_logged(session, principal.org_id, view.session.id)
    return [
        {
            "player_id": str(a.player_id),
            "status": a.status,
            "rpe_logged": a.player_id in logged,
            "restricted": a.restricted,
        }
        for a in read.assignments
    ]
