"""Session RPE, wellness and physical tests. Every id in a path or query is resolved by a loader (loaders.py)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.errors import NotFound
from operational.kit.pagination import PageDep
from operational.training import repository, service, wellness
from operational.training.loaders import (
    EditableRpeLog,
    EditableWellness,
    ManagedTeam,
    PhysicalTestInPath,
    ReadableRpeLog,
    ReadableTestResult,
    ReadableWellness,
    RecordListQuery,
)
from operational.training.schemas import (
    PhysicalTestCreate,
    PhysicalTestPage,
    PhysicalTestRead,
    RpeLogCreate,
    RpeLogPage,
    RpeLogRead,
    RpeLogUpdate,
    TeamSettingsRead,
    TeamSettingsUpdate,
    TestResultCreate,
    TestResultPage,
    TestResultRead,
    WellnessCreate,
    WellnessPage,
    WellnessRead,
    WellnessUpdate,
)

router = APIRouter(prefix="/api/v1/training", tags=["training"])


async def _filters(session, user, query) -> repository.RecordFilters:
    """The list's filters, the player's and the team's ids resolved in the caller's club (404) and checked against
    what the caller may see (403), the player first."""
    player, team = await query.player.load(session, user), await query.team.load(session, user)
    return repository.RecordFilters(
        player_id=player.id if player else None, team_id=team.id if team else None, dates=query.dates
    )


# --- session RPE ----------------------------------------------------------------------------------------------------
@router.post("/rpe-logs", status_code=status.HTTP_201_CREATED, response_model=RpeLogRead)
async def log_session_rpe(body: RpeLogCreate, session: SessionDep, user: CurrentUser) -> RpeLogRead:
    """Log a session's RPE (CR-10) and duration; its load (RPE × minutes) reaches the statistics in seconds.

    The log is filed under the player's team on that day. The same session sent twice within minutes is refused
    (409) unless ``allow_duplicate`` says it was a second session."""
    return RpeLogRead.model_validate(await service.log_session_rpe(session, user, body))


@router.get("/rpe-logs", response_model=RpeLogPage)
async def list_rpe_logs(session: SessionDep, user: CurrentUser, query: RecordListQuery) -> Response:
    """Your own logs (and your minor's); coaches and physical trainers also see their teams', club admins the whole
    club's. Filter by player, team and session dates (``from``/``to``)."""
    items, total = await service.list_rpe_logs(session, user, await _filters(session, user, query), query.page)
    return RpeLogPage.response(items, total, query.page)


@router.get("/rpe-logs/{log_id}", response_model=RpeLogRead)
async def get_rpe_log(log: ReadableRpeLog) -> RpeLogRead:
    """One RPE log: the player, their guardian, staff of the team it is filed under and club admins may read it."""
    return RpeLogRead.model_validate(log)


@router.patch("/rpe-logs/{log_id}", response_model=RpeLogRead)
async def correct_rpe_log(
    log: EditableRpeLog, body: RpeLogUpdate, session: SessionDep, user: CurrentUser
) -> RpeLogRead:
    """Correct a log (RPE, minutes, day, team or session): the player, their guardian, or staff of the player's team.
    The statistics recount the load."""
    return RpeLogRead.model_validate(await service.correct_rpe_log(session, user, log, body))


@router.delete("/rpe-logs/{log_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_rpe_log(log: EditableRpeLog, session: SessionDep, user: CurrentUser) -> None:
    """Withdraw a log (logged twice, or for the wrong player): it no longer counts anywhere."""
    await service.delete_rpe_log(session, user, log)


# --- wellness -------------------------------------------------------------------------------------------------------
@router.post("/wellness", status_code=status.HTTP_201_CREATED, response_model=WellnessRead)
async def submit_wellness(body: WellnessCreate, session: SessionDep, user: CurrentUser) -> WellnessRead:
    """A day's wellness questionnaire (the team's instrument: Hooper 1–7 or McLean 1–5) and sleep hours, by the player
    or, for a minor, a guardian who names them. Answering again the same day replaces the day's answers."""
    return WellnessRead.model_validate(await wellness.submit_wellness(session, user, body))


@router.get("/wellness", response_model=WellnessPage)
async def list_wellness(session: SessionDep, user: CurrentUser, query: RecordListQuery) -> Response:
    """Seen like RPE logs: your own, your teams' for staff, the club's for club admins."""
    items, total = await wellness.list_wellness(session, user, await _filters(session, user, query), query.page)
    return WellnessPage.response(items, total, query.page)


@router.get("/wellness/{wellness_id}", response_model=WellnessRead)
async def get_wellness(entry: ReadableWellness) -> WellnessRead:
    """One day's wellness answers: the player, their guardian, staff of the team and club admins may read them."""
    return WellnessRead.model_validate(entry)


@router.patch("/wellness/{wellness_id}", response_model=WellnessRead)
async def correct_wellness(
    entry: EditableWellness, body: WellnessUpdate, session: SessionDep, user: CurrentUser
) -> WellnessRead:
    """Correct a day's answers: the player, their guardian, or staff of the player's team."""
    return WellnessRead.model_validate(await wellness.correct_wellness(session, user, entry, body))


@router.delete("/wellness/{wellness_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_wellness(entry: EditableWellness, session: SessionDep, user: CurrentUser) -> None:
    """Withdraw a day's answers: the day counts as not answered."""
    await wellness.delete_wellness(session, user, entry)


@router.put("/teams/{team_id}/settings", response_model=TeamSettingsRead)
async def team_settings(
    team: ManagedTeam, body: TeamSettingsUpdate, session: SessionDep, user: CurrentUser
) -> TeamSettingsRead:
    """The team's staff: which wellness questionnaire the team answers (Hooper or McLean)."""
    setting = await wellness.set_team_instrument(session, user, team, body.wellness_instrument)
    return TeamSettingsRead.model_validate(setting)


# --- physical tests -------------------------------------------------------------------------------------------------
@router.get("/tests", response_model=PhysicalTestPage)
async def list_tests(session: SessionDep, user: CurrentUser, page: PageDep) -> PhysicalTestPage:
    """The club's physical tests, by name."""
    items, total = await wellness.list_physical_tests(session, user, page)
    return PhysicalTestPage.of(items, total, page)


@router.post("/tests", status_code=status.HTTP_201_CREATED, response_model=PhysicalTestRead)
async def create_test(body: PhysicalTestCreate, session: SessionDep, user: CurrentUser) -> PhysicalTestRead:
    """Staff: a physical test of the club (name, unit, whether higher or lower is better)."""
    return PhysicalTestRead.model_validate(await wellness.create_physical_test(session, user, body))


@router.post("/tests/{test_id}/results", status_code=status.HTTP_201_CREATED, response_model=TestResultRead)
async def record_result(
    test: PhysicalTestInPath, body: TestResultCreate, session: SessionDep, user: CurrentUser
) -> TestResultRead:
    """A result for a player of a team you coach (any player of the club for a club admin), filed under the player's
    team on the test day."""
    return TestResultRead.model_validate(await wellness.record_result(session, user, test, body))


@router.get("/tests/{test_id}/results", response_model=TestResultPage)
async def list_results(
    test: PhysicalTestInPath, session: SessionDep, user: CurrentUser, query: RecordListQuery
) -> Response:
    """Results of the test seen like RPE logs; filter by player, team and test dates (``from``/``to``)."""
    items, total = await wellness.list_results(session, user, test, await _filters(session, user, query), query.page)
    return TestResultPage.response(items, total, query.page)


@router.get("/tests/{test_id}/results/{result_id}", response_model=TestResultRead)
async def get_result(test: PhysicalTestInPath, result: ReadableTestResult) -> TestResultRead:
    """One test result: the player, their guardian, staff of the team and club admins may read it."""
    if result.test_id != test.id:
        raise NotFound("No such test result.")
    return TestResultRead.model_validate(result)
