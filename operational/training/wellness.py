"""Daily wellness questionnaires and physical tests. Never commits: the request's unit of work does."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.training import INSTRUMENT_RANGES
from operational.kit.auth import Principal
from operational.kit.errors import Conflict, Forbidden, InvalidValue, NotFound
from operational.training import events, policies, repository
from operational.training.models import PhysicalTest, TeamSetting, TestResult, WellnessEntry, outbox
from operational.training.schemas import PhysicalTestCreate, TestResultCreate, WellnessCreate

DEFAULT_INSTRUMENT = "hooper"


def _check_items(instrument: str, items: dict[str, int]) -> int:
    names, low, high = INSTRUMENT_RANGES[instrument]
    missing, unknown = set(names) - set(items), set(items) - set(names)
    if missing or unknown:
        raise InvalidValue(
            f"The {instrument} questionnaire has the items {', '.join(names)}"
            + (f"; missing {', '.join(sorted(missing))}" if missing else "")
            + (f"; unknown {', '.join(sorted(unknown))}" if unknown else ""),
            field="items",
        )
    for name, score in items.items():
        if not low <= score <= high:
            raise InvalidValue(f"{name} is scored {low} to {high} on the {instrument} scale.", field=f"items.{name}")
    return sum(items.values())


async def team_instrument(session: AsyncSession, team_id: uuid.UUID | None) -> str:
    setting = await repository.team_setting(session, team_id) if team_id else None
    return setting.wellness_instrument if setting else DEFAULT_INSTRUMENT


async def submit_wellness(session: AsyncSession, principal: Principal, body: WellnessCreate) -> WellnessEntry:
    player_id = body.player_id or principal.user_id
    policies.ensure_acts_for(principal, player_id)
    team_id = policies.resolve_team(principal, body.team_id)
    instrument = await team_instrument(session, team_id)
    if body.instrument is not None and body.instrument != instrument:
        raise InvalidValue(f"Your team answers the {instrument} questionnaire.", field="instrument")
    total = _check_items(instrument, body.items)
    today = principal.today()
    day = body.wellness_date or today
    if day > today:
        raise InvalidValue("The date is in the future in your club's time zone.", field="wellness_date")
    entry = await repository.wellness_on(session, player_id, day)
    if entry is None:
        entry = WellnessEntry(id=uuid.uuid4(), org_id=principal.org_id, player_id=player_id, wellness_date=day)
        session.add(entry)
    # answering again the same day replaces the day's answers
    entry.team_id, entry.instrument, entry.items = team_id, instrument, dict(body.items)
    entry.total_score, entry.sleep_hours, entry.submitted_at = total, body.sleep_hours, datetime.now(UTC)
    await session.flush()
    await outbox.record(session, events.wellness_submitted(entry, principal))
    return entry


async def list_wellness(session, principal: Principal, *, player_id, date_from, date_to, limit, offset):
    return await repository.list_wellness(
        session,
        principal.org_id,
        scope=policies.list_scope(principal),
        player_id=player_id,
        date_from=date_from,
        date_to=date_to,
        limit=limit,
        offset=offset,
    )


async def set_team_instrument(session: AsyncSession, principal: Principal, team_id: uuid.UUID, instrument: str):
    # the roster read model is how this service knows which club a team belongs to
    if not await repository.team_in_org(session, principal.org_id, team_id):
        raise NotFound("No such team (or it has no members yet).")
    policies.ensure_can_manage_team(principal, team_id)
    setting = await repository.team_setting(session, team_id)
    if setting is None:
        setting = TeamSetting(team_id=team_id, org_id=principal.org_id)
        session.add(setting)
    setting.wellness_instrument = instrument
    await session.flush()
    return setting


# --- physical tests -------------------------------------------------------------------------------------------------
async def create_physical_test(session: AsyncSession, principal: Principal, body: PhysicalTestCreate) -> PhysicalTest:
    policies.ensure_staff(principal, "define physical tests")
    if await repository.physical_test_by_name(session, principal.org_id, body.name):
        raise Conflict(f"The club already has a test called '{body.name}'.", field="name")
    test = PhysicalTest(id=uuid.uuid4(), org_id=principal.org_id, **body.model_dump())
    session.add(test)
    await session.flush()
    return test


async def physical_test(session: AsyncSession, principal: Principal, test_id: uuid.UUID) -> PhysicalTest:
    test = await repository.get_physical_test(session, principal.org_id, test_id)
    if test is None:
        raise NotFound("No such test.")
    return test


async def record_result(
    session: AsyncSession, principal: Principal, test_id: uuid.UUID, body: TestResultCreate
) -> TestResult:
    test = await physical_test(session, principal, test_id)
    policies.ensure_staff(principal, "record test results")
    allowed = policies.staff_team_ids(principal)
    candidate_teams = [body.team_id] if body.team_id else list(allowed or [])
    if allowed is not None and body.team_id is not None and body.team_id not in allowed:
        raise Forbidden("You do not coach that team.", field="team_id")
    if allowed is None and body.team_id is None:
        team_id = None  # a club admin may record for any player of the club
    else:
        teams = await repository.on_roster(session, principal.org_id, body.player_id, candidate_teams)
        if not teams:
            raise Forbidden("That player is not on a team you coach.", field="player_id")
        team_id = body.team_id or sorted(teams)[0]
    if body.tested_on > principal.today():
        raise InvalidValue("The test date is in the future in your club's time zone.", field="tested_on")
    result = TestResult(
        id=uuid.uuid4(),
        org_id=principal.org_id,
        test_id=test.id,
        player_id=body.player_id,
        team_id=team_id,
        value=body.value,
        tested_on=body.tested_on,
        recorded_by=principal.user_id,
    )
    session.add(result)
    await session.flush()
    await outbox.record(session, events.test_result_recorded(result, test, principal))
    return result


async def list_results(session, principal: Principal, test_id: uuid.UUID, *, player_id, limit, offset):
    await physical_test(session, principal, test_id)
    return await repository.list_test_results(
        session,
        principal.org_id,
        test_id,
        scope=policies.list_scope(principal),
        player_id=player_id,
        limit=limit,
        offset=offset,
    )
