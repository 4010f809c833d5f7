"""Daily wellness questionnaires and physical tests. Never commits: the request's unit of work does."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.training import INSTRUMENT_RANGES
from operational.kit.auth import Principal
from operational.kit.errors import Conflict, InvalidValue
from operational.kit.pagination import PageParams
from operational.training import events, loaders, policies, repository
from operational.training.dates import check_log_date
from operational.training.filing import team_for_record
from operational.training.loaders import coached_player
from operational.training.models import PhysicalTest, TeamSetting, TestResult, WellnessEntry, outbox
from operational.training.policies import RosterTeam
from operational.training.schemas import PhysicalTestCreate, TestResultCreate, WellnessCreate, WellnessUpdate

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


async def team_instrument(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID | None) -> str:
    """The team's own choice, else the club's (its configuration), else Hooper."""
    setting = await repository.team_setting(session, org_id, team_id) if team_id else None
    if setting is not None:
        return setting.wellness_instrument
    club = await repository.club_setting(session, org_id)
    return club.wellness_instrument if club else DEFAULT_INSTRUMENT


async def submit_wellness(session: AsyncSession, principal: Principal, body: WellnessCreate) -> WellnessEntry:
    """The day's answers of the player (or of the minor a guardian names); answering again replaces them."""
    player_id = await loaders.answering_for(
        session, principal, body.player_id, action="answer the wellness questionnaire"
    )
    day = check_log_date(principal, body.wellness_date or principal.today(), field="wellness_date")
    team_id = await team_for_record(session, principal, player_id, day, body.team_id)
    instrument = await team_instrument(session, principal.org_id, team_id)
    if body.instrument is not None and body.instrument != instrument:
        raise InvalidValue(f"The player's team answers the {instrument} questionnaire.", field="instrument")
    total = _check_items(instrument, body.items)
    await repository.lock_player_day(session, "wellness", player_id, day)
    entry = await repository.wellness_on(session, principal.org_id, player_id, day)
    if entry is None:
        entry = WellnessEntry(id=uuid.uuid4(), org_id=principal.org_id, player_id=player_id, wellness_date=day)
        session.add(entry)
    entry.team_id, entry.instrument, entry.items = team_id, instrument, dict(body.items)
    entry.total_score, entry.sleep_hours, entry.submitted_at = total, body.sleep_hours, datetime.now(UTC)
    entry.answered_by = principal.user_id
    await session.flush()
    await outbox.record(session, events.wellness_submitted(entry, principal))
    return entry


async def correct_wellness(
    session: AsyncSession, principal: Principal, entry: WellnessEntry, body: WellnessUpdate
) -> WellnessEntry:
    """Apply a correction to ``entry`` (already loaded for editing); the answers keep the instrument they were
    given on."""
    changes = body.changes()
    if not changes:
        return entry
    day = changes.get("wellness_date", entry.wellness_date)
    if day != entry.wellness_date:
        check_log_date(principal, day, field="wellness_date")
        await repository.lock_player_day(session, "wellness", entry.player_id, day)
        if await repository.wellness_on(session, principal.org_id, entry.player_id, day) is not None:
            raise Conflict(
                f"The player already has answers for {day.isoformat()}; correct or delete those instead.",
                field="wellness_date",
            )
    if {"wellness_date", "team_id"} & changes.keys():
        entry.team_id = await team_for_record(
            session, principal, entry.player_id, day, changes.get("team_id"), keep=entry.team_id
        )
    if "items" in changes:
        entry.total_score = _check_items(entry.instrument, changes["items"])
        entry.items = dict(changes["items"])
    if "sleep_hours" in changes:
        entry.sleep_hours = changes["sleep_hours"]
    entry.wellness_date = day
    entry.corrected_at = datetime.now(UTC)
    await session.flush()
    await outbox.record(session, events.wellness_corrected(entry, principal))
    return entry


async def delete_wellness(session: AsyncSession, principal: Principal, entry: WellnessEntry) -> None:
    """Withdraw a day's answers (already loaded for editing): that day counts as not answered."""
    await outbox.record(session, events.wellness_deleted(entry, datetime.now(UTC), principal))
    await repository.remove(session, entry)


async def list_wellness(
    session: AsyncSession, principal: Principal, filters: repository.RecordFilters, page: PageParams
) -> tuple[list[dict], int]:
    return await repository.list_wellness(session, principal.org_id, policies.list_scope(principal), filters, page)


async def set_team_instrument(session: AsyncSession, principal: Principal, team: RosterTeam, instrument: str):
    """The questionnaire ``team`` (loaded for managing) answers from now on."""
    setting = await repository.team_setting(session, principal.org_id, team.id)
    if setting is None:
        setting = TeamSetting(team_id=team.id, org_id=principal.org_id)
        session.add(setting)
    setting.wellness_instrument = instrument
    await session.flush()
    return setting


# --- physical tests -------------------------------------------------------------------------------------------------
async def list_physical_tests(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[PhysicalTest], int]:
    return await repository.list_physical_tests(session, principal.org_id, page)


async def create_physical_test(session: AsyncSession, principal: Principal, body: PhysicalTestCreate) -> PhysicalTest:
    policies.ensure_staff(principal, "define physical tests")
    if await repository.physical_test_by_name(session, principal.org_id, body.name):
        raise Conflict(f"The club already has a test called '{body.name}'.", field="name")
    test = PhysicalTest(id=uuid.uuid4(), org_id=principal.org_id, **body.model_dump())
    await repository.add(session, test)
    return test


async def record_result(
    session: AsyncSession, principal: Principal, test: PhysicalTest, body: TestResultCreate
) -> TestResult:
    """A result of ``test`` (loaded in the caller's club) for a player of a team the caller coaches (any player of
    the club for a club admin), filed under the player's team on the test day."""
    policies.ensure_staff(principal, "record test results")
    player = await coached_player.load(session, principal, body.player_id, field="player_id")
    check_log_date(principal, body.tested_on, field="tested_on", what="test date")
    result = TestResult(
        id=uuid.uuid4(),
        org_id=principal.org_id,
        test_id=test.id,
        player_id=player.id,
        team_id=await team_for_record(session, principal, player.id, body.tested_on, body.team_id),
        value=body.value,
        tested_on=body.tested_on,
        recorded_by=principal.user_id,
    )
    await repository.add(session, result)
    await outbox.record(session, events.test_result_recorded(result, test, principal))
    return result


async def list_results(
    session: AsyncSession,
    principal: Principal,
    test: PhysicalTest,
    filters: repository.RecordFilters,
    page: PageParams,
) -> tuple[list[dict], int]:
    scope = policies.list_scope(principal)
    return await repository.list_test_results(session, principal.org_id, test.id, scope, filters, page)
