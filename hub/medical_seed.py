"""The demo club's medical records, made through the medical service's own functions (so availability and the
warehouse's problem outlines flow as events): a hamstring strain on its way back, an ankle sprain long healed, an
illness, a concussion part way through its graduated return, and a weekly answer that put a task on medical staff's
list. The player ids come from hub/seed.py."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from contracts import users as users_contract
from operational.kit.auth import Principal
from operational.kit.events import new_event
from operational.medical import consumers as medical_read_models
from operational.medical import service as medical_service
from operational.medical.ostrc import service as ostrc_service
from operational.medical.ostrc.schemas import OstrcCreate
from operational.medical.rehab import repository as rehab_repository
from operational.medical.rehab import service as rehab_service
from operational.medical.rehab.schemas import ReturnToPlayStart, StageDecision, TreatmentCreate
from operational.medical.schemas import ProblemCreate


async def tell_medical(session, org_id: uuid.UUID, membership) -> None:
    """The medical service learns the membership now, as its consumer would from the event a moment later."""
    data = users_contract.MembershipAdded(
        membership_id=membership.id, user_id=membership.user_id, team_id=membership.team_id, role=membership.role
    )
    event = new_event(users_contract.MembershipAddedEvent, org_id=org_id, subject_id=None, actor=None, data=data)
    await medical_read_models.apply_event(session, event)


def _problem(player_id, today: date, **values) -> ProblemCreate:
    days = {name: today - timedelta(days=values.pop(name)) for name in list(values) if name.endswith("_days_ago")}
    dates = {name.removesuffix("_days_ago") + "_date": day for name, day in days.items()}
    return ProblemCreate(player_id=player_id, **values, **dates)


async def seed_medical(session, medic: Principal, players: dict[str, Principal]) -> int:
    """Medical records for the demo's players (by e-mail); returns how many problems were recorded."""
    today = medic.today()
    hugo, oscar, liam, elias, alva = (
        players[f"{name}@northside.example.org"]
        for name in ("hugo.larsson", "oscar.andersson", "liam.johansson", "elias.nilsson", "alva.persson")
    )
    hamstring = await medical_service.record_problem(
        session,
        medic,
        _problem(hugo.user_id, today, kind="injury", osiics_code="TM1", side="right", onset="sudden",
                 mechanism="non_contact", activity="practice", time_loss=True, onset_days_ago=10,
                 partial_return_days_ago=3, expected_return_date=today + timedelta(days=7),
                 restrictions=["no_high_intensity"], diagnosis="Grade 1 biceps femoris strain",
                 notes="Pain on sprinting; full range of motion."),
    )  # fmt: skip
    for days_ago, kind in ((9, "assessment"), (6, "physiotherapy"), (2, "exercise_therapy")):
        body = TreatmentCreate(treated_on=today - timedelta(days=days_ago), kind=kind, clinician="Karin Holm")
        await rehab_service.add_treatment(session, medic, hamstring, body)
    await medical_service.record_problem(
        session,
        medic,
        _problem(oscar.user_id, today, kind="injury", osiics_code="AL1", side="left", onset="sudden",
                 mechanism="contact", activity="game", time_loss=True, onset_days_ago=40, partial_return_days_ago=30,
                 full_training_days_ago=25, return_to_play_days_ago=22, diagnosis="Lateral ankle sprain, grade 2"),
    )  # fmt: skip
    await medical_service.record_problem(
        session,
        medic,
        _problem(liam.user_id, today, kind="illness", osiics_code="MPIX", onset="gradual", activity="other",
                 time_loss=True, onset_days_ago=2, expected_return_date=today + timedelta(days=3),
                 diagnosis="Upper respiratory tract infection"),
    )  # fmt: skip
    concussion = await medical_service.record_problem(
        session,
        medic,
        _problem(elias.user_id, today, kind="injury", osiics_code="HN1", onset="sudden", mechanism="contact",
                 activity="game", time_loss=True, onset_days_ago=4, diagnosis="Concussion after a shoulder-to-head "
                 "check", notes="No loss of consciousness; headache and light sensitivity."),
    )  # fmt: skip
    await _concussion_at_stage_three(session, medic, concussion, today)
    await ostrc_service.submit(
        session,
        alva,
        OstrcCreate(participation="full_with_health_problem", training_volume="minor", symptoms="mild",
                    problem_kind="injury", new_problem=True),
    )  # fmt: skip
    return 4


async def _concussion_at_stage_three(session, medic: Principal, problem, today: date) -> None:
    """Started three days ago, a day at each stage since: now at stage 3 (individual sport-specific exercise)."""
    await rehab_service.start(session, medic, problem, ReturnToPlayStart(protocol="concussion_graduated_return"))
    noon = datetime.combine(today, datetime.min.time(), UTC) + timedelta(hours=12)
    await _backdate(session, problem, noon - timedelta(days=3))
    for days_ago in (2, 1):
        await rehab_service.decide(session, medic, problem, StageDecision(action="advance", entry_criteria_met=True))
        await _backdate(session, problem, noon - timedelta(days=days_ago))


async def _backdate(session, problem, when: datetime) -> None:
    """The demo's stages happened on earlier days: the stage and its last change are dated then."""
    plan = await rehab_repository.plan_for(session, problem.org_id, problem.id)
    plan.stage_entered_at = when
    (*_, last_change) = await rehab_repository.stage_history(session, plan.id)
    last_change.decided_at = when
    await session.flush()
