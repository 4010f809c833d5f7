"""All SQL of the training service's records (session RPE, wellness, physical tests) and its read models (rosters,
availability). Every lookup by id takes the club's id: a row of another club is never found."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Select,
    Text,
    and_,
    any_,
    bindparam,
    delete,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.pagination import DateRange, PageParams, PageQuery, item_columns, paginate
from operational.training.models import (
    CalendarEntry,
    ClubSetting,
    PhysicalTest,
    PlayerAvailability,
    RosterEntry,
    RosterPeriod,
    SessionRpeLog,
    TeamSetting,
    TestResult,
    WellnessEntry,
)
from operational.training.policies import TEAM_STAFF, ListScope
from operational.training.schemas import RpeLogRead, TestResultRead, WellnessRead


@dataclass(frozen=True)
class RecordFilters:
    """The filters every list of player records takes (all optional)."""

    player_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    dates: DateRange | None = None


_ID_ARRAY = ARRAY(UUID(as_uuid=True))
_RECORD_PAGES: dict[tuple, PageQuery] = {}


async def _record_page(
    session: AsyncSession,
    kind: tuple,
    org_id: uuid.UUID,
    scope: ListScope,
    filters: RecordFilters,
    page: PageParams,
    **equal: uuid.UUID,
) -> tuple[list[dict], int]:
    """A page of a player-record table: rows the scope may see (its players', and its teams' unless every team),
    narrowed by the filters and by the columns ``equal`` names holding the values given; through a :class:`PageQuery`
    built once per shape of filters (which of them are given). ``kind`` is (table, item model, day column, order)."""
    table, item_model, day, order = kind
    dates = filters.dates or DateRange(date_from=None, date_to=None)
    given = {
        **equal,
        "team_ids": scope.team_ids,
        "player_id": filters.player_id,
        "team_id": filters.team_id,
        "date_from": dates.date_from,
        "date_to": dates.date_to,
    }
    shape = (kind, *equal, *(value is not None for value in given.values()))
    query = _RECORD_PAGES.get(shape)
    if query is None:
        c = table.c
        statement = select(*item_columns(item_model, table)).where(c.org_id == bindparam("org_id"))
        if scope.team_ids is not None:
            statement = statement.where(
                or_(
                    c.player_id == any_(bindparam("player_ids", type_=_ID_ARRAY)),
                    c.team_id == any_(bindparam("team_ids", type_=_ID_ARRAY)),
                )
            )
        for name in equal:
            statement = statement.where(c[name] == bindparam(name))
        for name, condition in (
            ("player_id", c.player_id == bindparam("player_id")),
            ("team_id", c.team_id == bindparam("team_id")),
            ("date_from", c[day] >= bindparam("date_from")),
            ("date_to", c[day] <= bindparam("date_to")),
        ):
            if given[name] is not None:
                statement = statement.where(condition)
        query = _RECORD_PAGES[shape] = PageQuery(statement, order_by=order(c))
    params = {"org_id": org_id, "player_ids": list(scope.player_ids), **given}
    params["team_ids"] = list(scope.team_ids or ())
    return await query.rows(session, page, params)


_RPE_PAGE = (
    SessionRpeLog.__table__,
    RpeLogRead,
    "session_date",
    lambda c: (c.session_date.desc(), c.logged_at.desc(), c.id),
)
_WELLNESS_PAGE = (WellnessEntry.__table__, WellnessRead, "wellness_date", lambda c: (c.wellness_date.desc(), c.id))
_RESULTS_PAGE = (TestResult.__table__, TestResultRead, "tested_on", lambda c: (c.tested_on.desc(), c.id))


def _player_day_key(kind: str, player_id: uuid.UUID, day: date) -> str:
    return f"training.{kind}:{player_id}:{day.isoformat()}"


async def lock_player_day(session: AsyncSession, kind: str, player_id: uuid.UUID, day: date) -> None:
    """Serialise writes of one player's ``kind`` records on one day until the transaction ends (so two identical
    requests arriving together cannot both pass a duplicate check)."""
    await session.execute(_LOCK_PLAYER_DAY, {"key": _player_day_key(kind, player_id, day)})


def _player_day_lock():
    return func.pg_advisory_xact_lock(func.hashtext(bindparam("key", type_=Text())))


_LOCK_PLAYER_DAY = select(_player_day_lock())


# --- session RPE ----------------------------------------------------------------------------------------------------
async def add(session: AsyncSession, row) -> None:
    session.add(row)
    await session.flush()


async def remove(session: AsyncSession, row) -> None:
    await session.delete(row)
    await session.flush()


async def get_rpe_log(session: AsyncSession, org_id: uuid.UUID, log_id: uuid.UUID) -> SessionRpeLog | None:
    return await session.scalar(select(SessionRpeLog).where(SessionRpeLog.org_id == org_id, SessionRpeLog.id == log_id))


def identical_log_since(
    org_id: uuid.UUID, player_id: uuid.UUID, day: date, rpe: int, minutes: int, since: datetime
) -> tuple[Select, dict]:
    """The latest log of ``player_id`` on ``day`` with this RPE and these minutes logged at ``since`` or later, as a
    statement (columns ``id``, ``logged_at``) and its parameters, for the outbox to run along with a new log's insert
    (``Outbox.record``'s ``unless``)."""
    params = {"org_id": org_id, "player_id": player_id, "day": day, "rpe": rpe, "minutes": minutes, "since": since}
    return _IDENTICAL_LOG_SINCE, params


def _identical_log_since() -> Select:
    logs = SessionRpeLog.__table__
    return (
        select(logs.c.id, logs.c.logged_at)
        .where(
            logs.c.org_id == bindparam("org_id"),
            logs.c.player_id == bindparam("player_id"),
            logs.c.session_date == bindparam("day"),
            logs.c.rpe == bindparam("rpe"),
            logs.c.duration_minutes == bindparam("minutes"),
            logs.c.logged_at >= bindparam("since"),
        )
        .order_by(logs.c.logged_at.desc())
        .limit(1)
    )


# built once, as the filing's query below: every RPE write runs it (and the outbox keeps its statement by it)
_IDENTICAL_LOG_SINCE = _identical_log_since()


async def list_rpe_logs(
    session: AsyncSession, org_id: uuid.UUID, scope: ListScope, filters: RecordFilters, page: PageParams
) -> tuple[list[dict], int]:
    """A page of RPE logs as dicts of :class:`RpeLogRead`'s fields, newest session first."""
    return await _record_page(session, _RPE_PAGE, org_id, scope, filters, page)


async def players_who_logged(session: AsyncSession, org_id: uuid.UUID, session_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(SessionRpeLog.player_id).where(SessionRpeLog.org_id == org_id, SessionRpeLog.session_id == session_id)
    )
    return set(rows)


# --- wellness -------------------------------------------------------------------------------------------------------
async def team_setting(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> TeamSetting | None:
    return await session.scalar(select(TeamSetting).where(TeamSetting.org_id == org_id, TeamSetting.team_id == team_id))


async def club_setting(session: AsyncSession, org_id: uuid.UUID) -> ClubSetting | None:
    return await session.get(ClubSetting, org_id)


async def keep_club_wellness_instrument(
    session: AsyncSession, org_id: uuid.UUID, instrument: str, changed_at: datetime
) -> None:
    """The club's questionnaire as of ``changed_at``; a change older than the one kept is ignored."""
    setting = await session.get(ClubSetting, org_id, with_for_update=True)
    if setting is None:
        session.add(ClubSetting(org_id=org_id, wellness_instrument=instrument, changed_at=changed_at))
    elif changed_at >= setting.changed_at:
        setting.wellness_instrument, setting.changed_at = instrument, changed_at
    await session.flush()


async def get_wellness(session: AsyncSession, org_id: uuid.UUID, wellness_id: uuid.UUID) -> WellnessEntry | None:
    return await session.scalar(
        select(WellnessEntry).where(WellnessEntry.org_id == org_id, WellnessEntry.id == wellness_id)
    )


async def wellness_on(
    session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID, day: date
) -> WellnessEntry | None:
    return await session.scalar(
        select(WellnessEntry).where(
            WellnessEntry.org_id == org_id, WellnessEntry.player_id == player_id, WellnessEntry.wellness_date == day
        )
    )


async def list_wellness(
    session: AsyncSession, org_id: uuid.UUID, scope: ListScope, filters: RecordFilters, page: PageParams
) -> tuple[list[dict], int]:
    """A page of wellness answers as dicts of :class:`WellnessRead`'s fields, newest day first."""
    return await _record_page(session, _WELLNESS_PAGE, org_id, scope, filters, page)


# --- physical tests -------------------------------------------------------------------------------------------------
async def get_physical_test(session: AsyncSession, org_id: uuid.UUID, test_id: uuid.UUID) -> PhysicalTest | None:
    return await session.scalar(select(PhysicalTest).where(PhysicalTest.id == test_id, PhysicalTest.org_id == org_id))


async def physical_test_by_name(session: AsyncSession, org_id: uuid.UUID, name: str) -> PhysicalTest | None:
    return await session.scalar(select(PhysicalTest).where(PhysicalTest.org_id == org_id, PhysicalTest.name == name))


async def list_physical_tests(
    session: AsyncSession, org_id: uuid.UUID, page: PageParams
) -> tuple[list[PhysicalTest], int]:
    query = select(PhysicalTest).where(PhysicalTest.org_id == org_id)
    return await paginate(session, query, page, order_by=(PhysicalTest.name, PhysicalTest.id))


async def get_test_result(session: AsyncSession, org_id: uuid.UUID, result_id: uuid.UUID) -> TestResult | None:
    return await session.scalar(select(TestResult).where(TestResult.org_id == org_id, TestResult.id == result_id))


async def list_test_results(
    session: AsyncSession,
    org_id: uuid.UUID,
    test_id: uuid.UUID,
    scope: ListScope,
    filters: RecordFilters,
    page: PageParams,
) -> tuple[list[dict], int]:
    """A page of one test's results as dicts of :class:`TestResultRead`'s fields, latest first."""
    return await _record_page(session, _RESULTS_PAGE, org_id, scope, filters, page, test_id=test_id)


async def latest_results_by_test_name(
    session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID
) -> dict[str, float]:
    """Test name → the player's most recent result."""
    ranked = (
        select(
            PhysicalTest.name,
            TestResult.value,
            func.row_number()
            .over(partition_by=TestResult.test_id, order_by=TestResult.tested_on.desc())
            .label("recency"),
        )
        .join(PhysicalTest, PhysicalTest.id == TestResult.test_id)
        .where(TestResult.org_id == org_id, TestResult.player_id == player_id)
        .subquery()
    )
    rows = await session.execute(select(ranked.c.name, ranked.c.value).where(ranked.c.recency == 1))
    return {name: value for name, value in rows.all()}


# --- availability read model ----------------------------------------------------------------------------------------
async def availability_of(session: AsyncSession, org_id: uuid.UUID, player_ids) -> dict[uuid.UUID, PlayerAvailability]:
    rows = await session.scalars(
        select(PlayerAvailability).where(
            PlayerAvailability.org_id == org_id, PlayerAvailability.player_id.in_(list(player_ids))
        )
    )
    return {row.player_id: row for row in rows}


async def upsert_availability(session: AsyncSession, row: dict) -> None:
    statement = pg_insert(PlayerAvailability).values(**row)
    newer = statement.excluded.updated_at >= PlayerAvailability.updated_at
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[PlayerAvailability.player_id],
            set_={k: statement.excluded[k] for k in row if k != "player_id"},
            where=newer,
        )
    )


# --- calendar read model --------------------------------------------------------------------------------------------
async def get_calendar_event(session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID) -> CalendarEntry | None:
    return await session.scalar(
        select(CalendarEntry).where(CalendarEntry.org_id == org_id, CalendarEntry.id == event_id)
    )


async def keep_calendar_event(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID, team_id: uuid.UUID | None, *, cancelled: bool
) -> None:
    statement = pg_insert(CalendarEntry).values(id=event_id, org_id=org_id, team_id=team_id, cancelled=cancelled)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CalendarEntry.id], set_={"team_id": team_id, "cancelled": cancelled}
        )
    )


async def cancel_calendar_event(session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID) -> None:
    await session.execute(
        update(CalendarEntry).where(CalendarEntry.org_id == org_id, CalendarEntry.id == event_id).values(cancelled=True)
    )


# --- roster read model ----------------------------------------------------------------------------------------------
async def team_in_org(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(RosterEntry.team_id).where(RosterEntry.org_id == org_id, RosterEntry.team_id == team_id).limit(1)
    )
    return found is not None


async def teams_of_player(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID) -> set[uuid.UUID]:
    """The teams ``player_id`` plays for today."""
    return (await teams_of_players(session, org_id, [player_id])).get(player_id, set())


async def teams_of_players(session: AsyncSession, org_id: uuid.UUID, player_ids) -> dict[uuid.UUID, set[uuid.UUID]]:
    rows = await session.execute(
        select(RosterEntry.user_id, RosterEntry.team_id).where(
            RosterEntry.org_id == org_id, RosterEntry.user_id.in_(list(player_ids)), RosterEntry.role == "player"
        )
    )
    teams: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for user_id, team_id in rows.all():
        teams[user_id].add(team_id)
    return dict(teams)


def _teams_on_day_or_today(*, lock: bool):
    """Each team the player played for on ``:day`` (``on_day`` true) and each team they play for today (false), in
    one round trip: the filing of a record needs the second list only when the first is empty. With ``lock``, a first
    row (``on_day`` null) taking the player-day lock ``:key`` too (see :func:`lock_player_day`): a function in FROM
    runs once, whatever the other branches find."""
    periods, entries = RosterPeriod.__table__, RosterEntry.__table__
    org_id, player_id = bindparam("org_id", type_=UUID(as_uuid=True)), bindparam("player_id", type_=UUID(as_uuid=True))
    day = bindparam("day", type_=Date())
    on_day = select(periods.c.team_id, literal(True).label("on_day")).where(
        periods.c.org_id == org_id,
        periods.c.user_id == player_id,
        periods.c.role == "player",
        or_(periods.c.started_on.is_(None), periods.c.started_on <= day),
        or_(periods.c.ended_on.is_(None), periods.c.ended_on > day),
    )
    today = select(entries.c.team_id, literal(False).label("on_day")).where(
        entries.c.org_id == org_id, entries.c.user_id == player_id, entries.c.role == "player"
    )
    if not lock:
        return union_all(on_day, today)
    locked = select(
        null().cast(UUID(as_uuid=True)).label("team_id"), null().cast(Boolean()).label("on_day")
    ).select_from(_player_day_lock())
    return union_all(locked, on_day, today)


# built once: a log's filing runs it on every write, and building the statement cost more than running it
_TEAMS_ON_DAY_OR_TODAY = _teams_on_day_or_today(lock=False)
_LOCK_AND_TEAMS_ON_DAY_OR_TODAY = _teams_on_day_or_today(lock=True)


async def teams_of_player_on(
    session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID, day: date, *, lock: str | None = None
) -> set[uuid.UUID]:
    """The teams ``player_id`` played for on ``day``, as far back as the read model's history goes; if it knows none
    that day, the teams they play for today. ``lock``: a kind of record whose player-day lock
    (:func:`lock_player_day`) the same statement takes."""
    params = {"org_id": org_id, "player_id": player_id, "day": day}
    if lock is None:
        rows = (await session.execute(_TEAMS_ON_DAY_OR_TODAY, params)).all()
    else:
        params["key"] = _player_day_key(lock, player_id, day)
        rows = (await session.execute(_LOCK_AND_TEAMS_ON_DAY_OR_TODAY, params)).all()
    return {team for team, on_day in rows if on_day} or {team for team, on_day in rows if on_day is False}


async def teams_staffed_by(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> set[uuid.UUID]:
    """The teams ``user_id`` coaches or trains, by the roster (which knows the role per team)."""
    rows = await session.scalars(
        select(RosterEntry.team_id).where(
            RosterEntry.org_id == org_id, RosterEntry.user_id == user_id, RosterEntry.role.in_(sorted(TEAM_STAFF))
        )
    )
    return set(rows)


async def players_of_team(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(RosterEntry.user_id).where(
            RosterEntry.org_id == org_id, RosterEntry.team_id == team_id, RosterEntry.role == "player"
        )
    )
    return sorted(set(rows))


async def join_team(session: AsyncSession, org_id, team_id, user_id, role: str, on: date) -> None:
    await session.execute(
        pg_insert(RosterEntry)
        .values(team_id=team_id, user_id=user_id, role=role, org_id=org_id)
        .on_conflict_do_nothing()
    )
    already = await session.scalar(
        select(RosterPeriod.id).where(
            RosterPeriod.org_id == org_id,
            RosterPeriod.team_id == team_id,
            RosterPeriod.user_id == user_id,
            RosterPeriod.role == role,
            RosterPeriod.ended_on.is_(None),
        )
    )
    if already is None:
        session.add(
            RosterPeriod(id=uuid.uuid4(), org_id=org_id, team_id=team_id, user_id=user_id, role=role, started_on=on)
        )
        await session.flush()


async def leave_team(
    session: AsyncSession, org_id, user_id, on: date, *, team_id=None, role: str | None = None
) -> None:
    """``user_id`` leaves ``team_id`` in ``role`` (every team and role when they are None) on ``on``."""
    entries = [RosterEntry.org_id == org_id, RosterEntry.user_id == user_id]
    periods = [RosterPeriod.org_id == org_id, RosterPeriod.user_id == user_id, RosterPeriod.ended_on.is_(None)]
    if team_id is not None:
        entries.append(RosterEntry.team_id == team_id)
        periods.append(RosterPeriod.team_id == team_id)
    if role is not None:
        entries.append(RosterEntry.role == role)
        periods.append(RosterPeriod.role == role)
    await session.execute(delete(RosterEntry).where(and_(*entries)))
    await session.execute(update(RosterPeriod).where(*periods).values(ended_on=on))
