"""Treatments, return to play and the rehab plan of a health problem (clinical: medical staff; the player and a
guardian read)."""

from __future__ import annotations

from fastapi import APIRouter, status

from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.pagination import PageDep
from operational.medical.loaders import EditableProblem, ReadableProblem
from operational.medical.rehab import plans, service
from operational.medical.rehab.protocols import PROTOCOLS
from operational.medical.rehab.schemas import (
    ProtocolPage,
    ProtocolRead,
    RehabPlanCreate,
    RehabPlanRead,
    RehabPlanUpdate,
    ReturnToPlayRead,
    ReturnToPlayStart,
    StageDecision,
    StageRead,
    TreatmentCreate,
    TreatmentPage,
    TreatmentRead,
)

rehab_router = APIRouter(prefix="/api/v1/medical", tags=["medical"])


@rehab_router.post(
    "/problems/{problem_id}/treatments", status_code=status.HTTP_201_CREATED, response_model=TreatmentRead
)
async def add_treatment(
    problem: EditableProblem, body: TreatmentCreate, session: SessionDep, user: CurrentUser
) -> TreatmentRead:
    """Medical staff: a treatment of the problem (date, type, clinician, notes)."""
    return TreatmentRead.model_validate(await service.add_treatment(session, user, problem, body))


@rehab_router.get("/problems/{problem_id}/treatments", response_model=TreatmentPage)
async def list_treatments(
    problem: ReadableProblem, session: SessionDep, user: CurrentUser, page: PageDep
) -> TreatmentPage:
    """The problem's treatments, newest first: medical staff, the player and a minor's guardian."""
    items, total = await service.list_treatments(session, user, problem, page)
    return TreatmentPage.of(items, total, page)


@rehab_router.get("/return-to-play-protocols", response_model=ProtocolPage)
async def list_protocols(user: CurrentUser, page: PageDep) -> ProtocolPage:
    """The return-to-play protocols this service follows, with their stages and entry criteria."""
    protocols = [
        ProtocolRead(
            key=p.key,
            name=p.name,
            citation=p.citation,
            minimum_hours_per_stage=int(p.minimum_per_stage.total_seconds() // 3600),
            stages=[StageRead(**{**vars(s), "restrictions": list(s.restrictions)}) for s in p.stages],
        )
        for p in PROTOCOLS.values()
    ]
    return ProtocolPage.of(protocols[page.offset : page.offset + page.limit], len(protocols), page)


@rehab_router.post(
    "/problems/{problem_id}/return-to-play", status_code=status.HTTP_201_CREATED, response_model=ReturnToPlayRead
)
async def start_return_to_play(
    problem: EditableProblem, body: ReturnToPlayStart, session: SessionDep, user: CurrentUser
) -> ReturnToPlayRead:
    """Medical staff: the player starts a return-to-play protocol at stage 1; availability follows the stage."""
    plan = await service.start(session, user, problem, body)
    return ReturnToPlayRead(**await service.plan_read(session, plan))


@rehab_router.get("/problems/{problem_id}/return-to-play", response_model=ReturnToPlayRead)
async def get_return_to_play(problem: ReadableProblem, session: SessionDep, user: CurrentUser) -> ReturnToPlayRead:
    """The protocol's current stage and every stage change with who decided it."""
    plan = await service.read(session, user, problem)
    return ReturnToPlayRead(**await service.plan_read(session, plan))


@rehab_router.post("/problems/{problem_id}/return-to-play/decisions", response_model=ReturnToPlayRead)
async def decide_stage(
    problem: EditableProblem, body: StageDecision, session: SessionDep, user: CurrentUser
) -> ReturnToPlayRead:
    """Medical staff: move to the next stage (at least the protocol's minimum time at this one, the next stage's
    entry criteria confirmed) or back one stage when symptoms return. Reaching the last stage completes the protocol
    and records the return to play."""
    plan = await service.decide(session, user, problem, body)
    return ReturnToPlayRead(**await service.plan_read(session, plan))


@rehab_router.post(
    "/problems/{problem_id}/rehab-plan", status_code=status.HTTP_201_CREATED, response_model=RehabPlanRead
)
async def write_rehab_plan(
    problem: EditableProblem, body: RehabPlanCreate, session: SessionDep, user: CurrentUser
) -> RehabPlanRead:
    """Medical staff: the problem's rehab plan, its exercises from the club's training library (predefined or the
    club's own) with sets, reps, load, times per week and a phase. An exercise id the club's library does not have
    (unknown, or another club's) is not found, naming the item (``exercises.N``)."""
    return RehabPlanRead(**await plans.create(session, user, problem, body))


@rehab_router.get("/problems/{problem_id}/rehab-plan", response_model=RehabPlanRead)
async def get_rehab_plan(problem: ReadableProblem, session: SessionDep, user: CurrentUser) -> RehabPlanRead:
    """The problem's rehab plan, exercises by name: medical staff, the player and a minor's guardian."""
    return RehabPlanRead(**await plans.read(session, user, problem))


@rehab_router.patch("/problems/{problem_id}/rehab-plan", response_model=RehabPlanRead)
async def change_rehab_plan(
    problem: EditableProblem, body: RehabPlanUpdate, session: SessionDep, user: CurrentUser
) -> RehabPlanRead:
    """Medical staff: change the plan's dates, goal or exercises (the list sent replaces the plan's)."""
    return RehabPlanRead(**await plans.change(session, user, problem, body))


@rehab_router.delete("/problems/{problem_id}/rehab-plan", status_code=status.HTTP_204_NO_CONTENT)
async def delete_rehab_plan(problem: EditableProblem, session: SessionDep, user: CurrentUser) -> None:
    """Medical staff: withdraw the problem's rehab plan (the access log keeps that it existed)."""
    await plans.remove(session, user, problem)
