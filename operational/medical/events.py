"""Events the medical service emits. Nothing clinical: availability for training and calendar, and for the warehouse
the outline of a health problem (OSIICS group, body area, dates, time loss; never the code, side, diagnosis or
notes)."""

from __future__ import annotations

from contracts import medical as contract
from operational.kit.auth import Principal
from operational.kit.events import new_event
from operational.medical.models import Availability, HealthProblem
from operational.medical.osiics import lookup


def availability_changed(availability: Availability, actor: Principal | None):
    data = contract.AvailabilityChanged(
        player_id=availability.player_id,
        status=availability.status,
        restrictions=list(availability.restrictions),
        effective_from=availability.effective_from,
        expected_until=availability.expected_until,
        note_for_staff=availability.note_for_staff,
    )
    return new_event(
        contract.AvailabilityChangedEvent,
        org_id=availability.org_id,
        subject_id=availability.player_id,
        actor=actor,
        data=data,
    )


def health_problem_recorded(problem: HealthProblem, actor: Principal | None, *, withdrawn: bool = False):
    code = lookup(problem.osiics_code)
    data = contract.HealthProblemRecorded(
        problem_id=problem.id,
        player_id=problem.player_id,
        team_id=problem.team_id,
        kind=problem.kind,
        osiics_group=code.group,
        body_area=code.body_area,
        activity=problem.activity,
        time_loss=problem.time_loss,
        onset_date=problem.onset_date,
        partial_return_date=problem.partial_return_date,
        full_training_date=problem.full_training_date,
        return_to_play_date=problem.return_to_play_date,
        severity_days=severity_days(problem),
        recurrence_of=problem.recurrence_of,
        withdrawn=withdrawn,
    )
    return new_event(
        contract.HealthProblemRecordedEvent, org_id=problem.org_id, subject_id=problem.id, actor=actor, data=data
    )


def severity_days(problem: HealthProblem) -> int | None:
    """Days from onset to return to full participation (IOC 2020), once the return is recorded."""
    if problem.return_to_play_date is None:
        return None
    return (problem.return_to_play_date - problem.onset_date).days
