"""Exercise library, workout templates and scheduled sessions personalised per player.

Loads given as a percentage are resolved from each player's latest result of the exercise's reference test (80 % of
a tested 120 kg 1RM → 95 kg, rounded to 2.5 kg plates); exercises unsuitable under a player's medical restrictions are
flagged with the reason. Never commits: the request's unit of work does.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Forbidden, HubError, InvalidValue, NotFound
from operational.training import events, policies, repository
from operational.training.live import live_sessions
from operational.training.models import Exercise, SessionAssignment, TrainingSession, WorkoutTemplate, outbox
from operational.training.schemas import (
    AssignmentRead,
    ExerciseCreate,
    ExerciseUpdate,
    SessionCreate,
    SessionRead,
    TemplateCreate,
    TemplateUpdate,
)

PLATE_KG = 2.5


# --- exercises ------------------------------------------------------------------------------------------------------
async def create_exercise(session: AsyncSession, principal: Principal, body: ExerciseCreate) -> Exercise:
    policies.ensure_staff(principal, "add exercises")
    exercise = Exercise(id=uuid.uuid4(), org_id=principal.org_id, **body.model_dump())
    session.add(exercise)
    await session.flush()
    await outbox.record(session, events.exercise_changed(exercise, principal, created=True))
    return exercise


async def get_exercise(session: AsyncSession, principal: Principal, exercise_id: uuid.UUID) -> Exercise:
    exercise = await repository.get_exercise(session, principal.org_id, exercise_id)
    if exercise is None:
        raise NotFound("No such exercise.")
    return exercise


async def update_exercise(session, principal: Principal, exercise_id: uuid.UUID, body: ExerciseUpdate) -> Exercise:
    exercise = await get_exercise(session, principal, exercise_id)
    policies.ensure_staff(principal, "change exercises")
    if exercise.org_id is None:
        raise Forbidden("Predefined exercises cannot be changed; add your own version instead.")
    for name, value in body.model_dump(exclude_unset=True).items():
        setattr(exercise, name, value)
    await outbox.record(session, events.exercise_changed(exercise, principal, created=False))
    return exercise


# --- templates ------------------------------------------------------------------------------------------------------
async def _check_exercises(session, principal: Principal, blocks) -> None:
    wanted = {p.exercise_id for block in blocks for p in block.exercises}
    found = await repository.exercises_by_id(session, principal.org_id, wanted)
    if missing := wanted - set(found):
        raise InvalidValue(f"Unknown exercise id(s): {', '.join(sorted(map(str, missing)))}.", field="blocks")


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
    )
    session.add(template)
    await session.flush()
    await outbox.record(session, events.template_changed(template, principal, created=True))
    return template


async def get_template(session, principal: Principal, template_id: uuid.UUID) -> WorkoutTemplate:
    template = await repository.get_template(session, principal.org_id, template_id)
    if template is None:
        raise NotFound("No such template.")
    return template


async def update_template(session, principal: Principal, template_id: uuid.UUID, body: TemplateUpdate):
    template = await get_template(session, principal, template_id)
    policies.ensure_staff(principal, "change workout templates")
    changes = body.model_dump(exclude_unset=True)
    if body.blocks is not None:
        await _check_exercises(session, principal, body.blocks)
        changes["blocks"] = [block.model_dump(mode="json") for block in body.blocks]
    for name, value in changes.items():
        setattr(template, name, value)
    template.updated_at = datetime.now(UTC)
    await outbox.record(session, events.template_changed(template, principal, created=False))
    return template


# --- sessions -------------------------------------------------------------------------------------------------------
def _round_to_plates(kg: float) -> float:
    return round(kg / PLATE_KG) * PLATE_KG


def personalise(blocks: list[dict], exercises: dict[uuid.UUID, Exercise], latest: dict[str, float]) -> list[dict]:
    """The template's blocks with every load resolved for one player."""
    resolved = []
    for block in blocks:
        items = []
        for item in block["exercises"]:
            exercise = exercises[uuid.UUID(item["exercise_id"])]
            load_kg, note = item.get("load_kg"), None
            if (percent := item.get("load_percent_of_max")) is not None:
                reference = exercise.reference_test_name
                if reference is None:
                    note = f"{exercise.name} has no reference test; set the load by feel"
                elif reference not in latest:
                    note = f"no '{reference}' result yet; test it or set the load by feel"
                else:
                    load_kg = _round_to_plates(latest[reference] * percent / 100)
            items.append({**item, "exercise_name": exercise.name, "load_kg": load_kg, "load_note": note})
        resolved.append({"name": block["name"], "exercises": items})
    return resolved


async def schedule_session(session: AsyncSession, principal: Principal, body: SessionCreate) -> SessionRead:
    policies.ensure_can_manage_team(principal, body.team_id)
    teams = [body.team_id] if body.team_id else list(policies.staff_team_ids(principal) or [])
    for player_id in body.player_ids:
        if policies.staff_team_ids(principal) is None and body.team_id is None:
            break  # a club admin may plan for any player of the club
        if not await repository.on_roster(session, principal.org_id, player_id, teams):
            raise Forbidden(f"Player {player_id} is not on a team you coach.", field="player_ids")
    template = await get_template(session, principal, body.template_id) if body.template_id else None
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
    session.add(training_session)
    await session.flush()
    blocks = template.blocks if template else []
    wanted = {uuid.UUID(i["exercise_id"]) for b in blocks for i in b["exercises"]}
    exercises = await repository.exercises_by_id(session, principal.org_id, wanted)
    for player_id in dict.fromkeys(body.player_ids):
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
    await outbox.record(session, events.session_scheduled(training_session, body.player_ids, principal))
    return await read_session(session, principal, training_session.id)


async def _session_for(session, principal: Principal, session_id: uuid.UUID) -> TrainingSession:
    training_session = await repository.get_session(session, principal.org_id, session_id)
    if training_session is None:
        raise NotFound("No such session.")
    return training_session


async def read_session(session, principal: Principal, session_id: uuid.UUID) -> SessionRead:
    training_session = await _session_for(session, principal, session_id)
    assignments = await repository.assignments_of(session, session_id)
    is_staff = principal.has_any_role(*policies.STAFF) and (
        training_session.team_id is None
        or policies.staff_team_ids(principal) is None
        or training_session.team_id in principal.team_ids
    )
    if not is_staff:
        assignments = [a for a in assignments if principal.acts_for(a.player_id)]
        if not assignments:
            raise Forbidden("You are not in this session.")
    exercise_ids = {uuid.UUID(i["exercise_id"]) for a in assignments for b in a.prescription for i in b["exercises"]}
    exercises = await repository.exercises_by_id(session, principal.org_id, exercise_ids)
    availability = await repository.availability_of(session, [a.player_id for a in assignments])
    return SessionRead(
        id=training_session.id,
        title=training_session.title,
        starts_at=training_session.starts_at,
        template_id=training_session.template_id,
        team_id=training_session.team_id,
        planned_duration_minutes=training_session.planned_duration_minutes,
        planned_rpe=training_session.planned_rpe,
        calendar_event_id=training_session.calendar_event_id,
        cancelled=training_session.cancelled_at is not None,
        assignments=[_assignment_read(a, exercises, availability.get(a.player_id)) for a in assignments],
    )


def _assignment_read(assignment: SessionAssignment, exercises, availability) -> AssignmentRead:
    """Flags are computed at read time from the current availability, so the trainer always sees today's reasons."""
    reasons: list[str] = []
    restrictions = set(availability.restrictions) if availability else set()
    if availability and availability.status == "unavailable":
        until = f" (expected back {availability.expected_until})" if availability.expected_until else ""
        reasons.append(f"unavailable for training{until}")
    blocks = []
    for block in assignment.prescription:
        items = []
        for item in block["exercises"]:
            exercise = exercises.get(uuid.UUID(item["exercise_id"]))
            clash = sorted(restrictions & set(exercise.unsuitable_for if exercise else ()))
            flagged = f"{item['exercise_name']}: unsuitable under {', '.join(clash)}" if clash else None
            if flagged:
                reasons.append(flagged)
            items.append({**item, "flagged": flagged})
        blocks.append({"name": block["name"], "exercises": items})
    if availability and availability.note_for_staff and reasons:
        reasons.append(f"medical note: {availability.note_for_staff}")
    return AssignmentRead(
        player_id=assignment.player_id,
        status=assignment.status,
        restricted=bool(reasons),
        restriction_reasons=reasons,
        blocks=blocks,
        started_at=assignment.started_at,
        completed_at=assignment.completed_at,
    )


async def progress(session, principal: Principal, session_id: uuid.UUID, player_id: uuid.UUID, step: str, performed):
    """A player (or their guardian) marks their part of a session started or completed."""
    training_session = await _session_for(session, principal, session_id)
    policies.ensure_acts_for(principal, player_id)
    assignment = await repository.assignment(session, training_session.id, player_id)
    if assignment is None:
        raise NotFound("You are not in this session.")
    if training_session.cancelled_at is not None:
        raise HubError("This session was cancelled.")
    now = datetime.now(UTC)
    if step == "start":
        assignment.status, assignment.started_at = "started", assignment.started_at or now
    else:
        assignment.status, assignment.completed_at = "completed", now
        assignment.started_at = assignment.started_at or now
        if performed is not None:
            assignment.performed = performed
    live_sessions.publish(session_id, {"player_id": str(player_id), "status": assignment.status, "at": now.isoformat()})
    return assignment


async def cancel_session(session, principal: Principal, session_id: uuid.UUID, reason: str | None) -> None:
    training_session = await _session_for(session, principal, session_id)
    policies.ensure_can_manage_team(principal, training_session.team_id)
    if training_session.cancelled_at is None:
        training_session.cancelled_at = datetime.now(UTC)
        await outbox.record(session, events.session_cancelled(training_session, reason, principal))


async def live_snapshot(session, principal: Principal, session_id: uuid.UUID) -> list[dict]:
    """Who has started, completed and logged RPE so far (the first message on the live channel)."""
    read = await read_session(session, principal, session_id)
    logged = await repository.rpe_logged_for_session(session, session_id)
    return [
        {
            "player_id": str(a.player_id),
            "status": a.status,
            "rpe_logged": a.player_id in logged,
            "restricted": a.restricted,
        }
        for a in read.assignments
    ]
