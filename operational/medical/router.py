"""Health problems, availability and the access log. Every id in a path or query is resolved by a loader
(loaders.py); clinical reads and changes are written to the access log by the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.errors import Forbidden
from operational.kit.pagination import PageDep
from operational.medical import availability, osiics, policies, repository, service
from operational.medical.loaders import (
    AvailabilityPlayer,
    ClinicalPlayer,
    ClinicalPlayerFilter,
    EditableProblem,
    ReadableProblem,
    TeamFilter,
    TreatedPlayer,
)
from operational.medical.schemas import (
    AccessLogPage,
    AvailabilityPage,
    AvailabilityRead,
    AvailabilityUpdate,
    MedicalExport,
    OsiicsCodePage,
    OsiicsCodeRead,
    ProblemCreate,
    ProblemPage,
    ProblemRead,
    ProblemUpdate,
)

router = APIRouter(prefix="/api/v1/medical", tags=["medical"])


@router.get("/osiics-codes", response_model=OsiicsCodePage)
async def list_osiics_codes(
    user: CurrentUser,
    page: PageDep,
    kind: Annotated[str | None, Query(pattern="^(injury|illness)$", description="injury or illness")] = None,
    body_area: Annotated[str | None, Query(max_length=40, description="e.g. Knee")] = None,
    q: Annotated[str | None, Query(max_length=80, description="Words in the code's description")] = None,
) -> OsiicsCodePage:
    """The OSIICS codes this service records problems with (a subset of OSIICS v15: Orchard et al. 2020)."""
    found = [
        code
        for code in osiics.codes().values()
        if (kind is None or code.kind == kind)
        and (body_area is None or code.body_area.lower() == body_area.lower())
        and (q is None or q.lower() in code.description.lower())
    ]
    items = found[page.offset : page.offset + page.limit]
    return OsiicsCodePage.of(items, len(found), page, convert=_code_read)


def _code_read(code: osiics.OsiicsCode) -> OsiicsCodeRead:
    return OsiicsCodeRead(**vars(code), group=code.group, needs_side=code.needs_side)


# --- health problems ------------------------------------------------------------------------------------------------
@router.post("/problems", status_code=status.HTTP_201_CREATED, response_model=ProblemRead)
async def record_problem(body: ProblemCreate, session: SessionDep, user: CurrentUser) -> ProblemRead:
    """Medical staff: an injury or illness of a player, coded with OSIICS. A recurrence (same code and side within
    two months of the return to full participation from an earlier one) is linked to that index problem. The
    player's availability is derived again."""
    problem = await service.record_problem(session, user, body)
    return ProblemRead(**service.problem_read(problem, user.today()))


@router.get("/problems", response_model=ProblemPage)
async def list_problems(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    player: ClinicalPlayerFilter,
    open_only: Annotated[bool, Query(alias="open", description="Only problems not yet back to competition")] = False,
) -> ProblemPage:
    """Medical staff see the club's problems; a player their own, a guardian their minor's. Coaches are refused:
    they see availability instead."""
    if not (policies.is_medical_staff(user) or user.has_any_role("player") or user.guardian_of):
        raise Forbidden("Clinical records are for medical staff, the player and a minor's guardian.")
    items, total = await service.list_problems(
        session, user, page, player_id=player.id if player else None, open_only=open_only
    )
    return ProblemPage.of(items, total, page, convert=lambda p: ProblemRead(**service.problem_read(p, user.today())))


@router.get("/problems/{problem_id}", response_model=ProblemRead)
async def get_problem(problem: ReadableProblem, session: SessionDep, user: CurrentUser) -> ProblemRead:
    """One problem with its clinical detail: medical staff, the player and a minor's guardian."""
    await service.read_problem(session, user, problem)
    return ProblemRead(**service.problem_read(problem, user.today()))


@router.patch("/problems/{problem_id}", response_model=ProblemRead)
async def correct_problem(
    problem: EditableProblem, body: ProblemUpdate, session: SessionDep, user: CurrentUser
) -> ProblemRead:
    """Medical staff: correct a problem or record its return dates (partial training, full training, competition).
    Availability is derived again."""
    problem = await service.correct_problem(session, user, problem, body)
    return ProblemRead(**service.problem_read(problem, user.today()))


# --- availability ---------------------------------------------------------------------------------------------------
@router.get("/availability", response_model=AvailabilityPage)
async def list_availability(
    session: SessionDep, user: CurrentUser, page: PageDep, team: TeamFilter
) -> AvailabilityPage:
    """Players who are not fully available, or were not: status, coded restrictions and expected return (nothing
    clinical). Coaches and physical trainers see their teams' players; medical staff and club admins the club's."""
    scope = policies.availability_scope(user)
    items, total = await repository.list_availability(session, user.org_id, scope, page, team.id if team else None)
    return AvailabilityPage.of(items, total, page)


@router.get("/players/{player_id}/availability", response_model=AvailabilityRead)
async def get_availability(player: AvailabilityPlayer, session: SessionDep, user: CurrentUser) -> AvailabilityRead:
    """A player's availability: status, coded restrictions, expected return (available when nothing is recorded)."""
    current = await repository.get_availability(session, user.org_id, player.id)
    return AvailabilityRead(**availability.read(current, player.id, user.today()))


@router.put("/players/{player_id}/availability", response_model=AvailabilityRead)
async def set_availability(
    player: TreatedPlayer, body: AvailabilityUpdate, session: SessionDep, user: CurrentUser
) -> AvailabilityRead:
    """Medical staff: set a player's availability by hand; it stands until one of the player's problems changes."""
    await availability.set_by_staff(session, user, player.id, body.model_dump())
    current = await repository.get_availability(session, user.org_id, player.id)
    return AvailabilityRead(**availability.read(current, player.id, user.today()))


@router.get("/players/{player_id}/export", response_model=MedicalExport)
async def export_record(player: ClinicalPlayer, session: SessionDep, user: CurrentUser) -> MedicalExport:
    """Everything the medical service keeps about the player, table by table (the player, a minor's guardian and
    medical staff); logged like every read."""
    return MedicalExport(**await service.export_record(session, user, player.id))


# --- the access log -------------------------------------------------------------------------------------------------
@router.get("/players/{player_id}/access-log", response_model=AccessLogPage)
async def list_access_log(
    player: ClinicalPlayer, session: SessionDep, user: CurrentUser, page: PageDep
) -> AccessLogPage:
    """Who read or changed the player's clinical record, when and why, newest first: the player, a minor's guardian
    and medical staff."""
    items, total = await repository.list_access(session, user.org_id, player.id, page)
    return AccessLogPage.of(items, total, page)
