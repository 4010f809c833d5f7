"""Events the training service emits."""

from __future__ import annotations

from datetime import date, datetime

from contracts import training as contract
from operational.kit.auth import Principal
from operational.kit.events import new_event
from operational.training.models import (
    Exercise,
    PhysicalTest,
    SessionRpeLog,
    TestResult,
    TrainingSession,
    WellnessEntry,
    WorkoutTemplate,
)


def _rpe_fields(log: SessionRpeLog) -> dict:
    return {
        "log_id": log.id,
        "player_id": log.player_id,
        "team_id": log.team_id,
        "session_date": log.session_date,
        "rpe": log.rpe,
        "duration_minutes": log.duration_minutes,
        "session_rpe_load_au": log.session_rpe_load_au,
        "logged_at": log.logged_at,
        "session_id": log.session_id,
        "logged_by": log.logged_by,
    }


def session_rpe_logged(log: SessionRpeLog, actor: Principal):
    data = contract.SessionRpeLogged(**_rpe_fields(log))
    return new_event(contract.SessionRpeLoggedEvent, org_id=log.org_id, subject_id=log.id, actor=actor, data=data)


def session_rpe_corrected(log: SessionRpeLog, previous_session_date: date, actor: Principal):
    data = contract.SessionRpeCorrected(
        **_rpe_fields(log), previous_session_date=previous_session_date, corrected_at=log.corrected_at
    )
    return new_event(contract.SessionRpeCorrectedEvent, org_id=log.org_id, subject_id=log.id, actor=actor, data=data)


def session_rpe_deleted(log: SessionRpeLog, deleted_at: datetime, actor: Principal):
    data = contract.SessionRpeDeleted(
        log_id=log.id,
        player_id=log.player_id,
        team_id=log.team_id,
        session_date=log.session_date,
        deleted_at=deleted_at,
    )
    return new_event(contract.SessionRpeDeletedEvent, org_id=log.org_id, subject_id=log.id, actor=actor, data=data)


def _wellness_fields(entry: WellnessEntry) -> dict:
    return {
        "wellness_id": entry.id,
        "player_id": entry.player_id,
        "team_id": entry.team_id,
        "wellness_date": entry.wellness_date,
        "instrument": entry.instrument,
        "items": entry.items,
        "total_score": entry.total_score,
        "sleep_hours": entry.sleep_hours,
        "submitted_at": entry.submitted_at,
        "answered_by": entry.answered_by,
    }


def wellness_submitted(entry: WellnessEntry, actor: Principal):
    data = contract.WellnessSubmitted(**_wellness_fields(entry))
    return new_event(contract.WellnessSubmittedEvent, org_id=entry.org_id, subject_id=entry.id, actor=actor, data=data)


def wellness_corrected(entry: WellnessEntry, actor: Principal):
    data = contract.WellnessCorrected(**_wellness_fields(entry), corrected_at=entry.corrected_at)
    return new_event(contract.WellnessCorrectedEvent, org_id=entry.org_id, subject_id=entry.id, actor=actor, data=data)


def wellness_deleted(entry: WellnessEntry, deleted_at: datetime, actor: Principal):
    data = contract.WellnessDeleted(
        wellness_id=entry.id,
        player_id=entry.player_id,
        team_id=entry.team_id,
        wellness_date=entry.wellness_date,
        deleted_at=deleted_at,
    )
    return new_event(contract.WellnessDeletedEvent, org_id=entry.org_id, subject_id=entry.id, actor=actor, data=data)


def test_result_recorded(result: TestResult, test: PhysicalTest, actor: Principal):
    data = contract.TestResultRecorded(
        result_id=result.id,
        player_id=result.player_id,
        team_id=result.team_id,
        test_id=test.id,
        test_name=test.name,
        unit=test.unit,
        direction=test.direction,
        value=result.value,
        tested_on=result.tested_on,
        recorded_by=actor.user_id,
    )
    return new_event(
        contract.TestResultRecordedEvent, org_id=result.org_id, subject_id=result.id, actor=actor, data=data
    )


def exercise_changed(exercise: Exercise, actor: Principal, *, created: bool):
    model = contract.ExerciseCreatedEvent if created else contract.ExerciseUpdatedEvent
    data = contract.ExerciseChanged(exercise_id=exercise.id, name=exercise.name, category=exercise.category)
    return new_event(model, org_id=actor.org_id, subject_id=exercise.id, actor=actor, data=data)


def template_changed(template: WorkoutTemplate, actor: Principal, *, created: bool):
    model = contract.TemplateCreatedEvent if created else contract.TemplateUpdatedEvent
    data = contract.TemplateChanged(
        template_id=template.id,
        name=template.name,
        block_count=len(template.blocks),
        exercise_count=sum(len(block["exercises"]) for block in template.blocks),
    )
    return new_event(model, org_id=template.org_id, subject_id=template.id, actor=actor, data=data)


def session_scheduled(training_session: TrainingSession, player_ids, actor: Principal, *, created: bool = True):
    model = contract.SessionScheduledEvent if created else contract.SessionUpdatedEvent
    data = contract.SessionScheduled(
        session_id=training_session.id,
        template_id=training_session.template_id,
        team_id=training_session.team_id,
        player_ids=list(player_ids),
        starts_at=training_session.starts_at,
        planned_duration_minutes=training_session.planned_duration_minutes,
        planned_rpe=training_session.planned_rpe,
        calendar_event_id=training_session.calendar_event_id,
    )
    return new_event(model, org_id=training_session.org_id, subject_id=training_session.id, actor=actor, data=data)


def session_cancelled(training_session: TrainingSession, reason: str | None, actor: Principal):
    data = contract.SessionCancelled(session_id=training_session.id, reason=reason)
    return new_event(
        contract.SessionCancelledEvent,
        org_id=training_session.org_id,
        subject_id=training_session.id,
        actor=actor,
        data=data,
    )
