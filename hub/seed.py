"""The demo club: Northside Hockey Club, one login per role, six weeks of session RPE, a few medical records
(hub/medical_seed.py) and season plans with goals (hub/planning_seed.py).

Everything is created through the services' own functions in one transaction, so every change also writes its event
to the outbox and the demo data flows through NATS into the pipeline exactly like real use. Seeding is idempotent:
it does nothing when the club already exists.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from contracts import users as users_contract
from hub.demo_club import (  # noqa: F401 - re-exported: the demo club's facts live there
    CLUB_NAME,
    CLUB_SLUG,
    CLUB_TIME_ZONE,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    RANDOM_SEED,
    SEASON,
    SEED_WEEKS,
    TEAMS,
    DemoLogin,
)
from hub.medical_seed import seed_medical, tell_medical
from hub.planning_seed import seed_planning, tell_planning
from hub.usage_seed import seed_usage
from operational.kit.db import session_factory, sqlalchemy_url
from operational.kit.events import new_event
from operational.training import consumers as training_read_models
from operational.training import service as training_service
from operational.training import wellness
from operational.training.schemas import PhysicalTestCreate, RpeLogCreate, TestResultCreate, WellnessCreate
from operational.users import guardians
from operational.users import repository as users_repository
from operational.users import service as users_service
from operational.users.config import UsersSettings

# A youth team's week (Monday first): (session RPE, minutes) of the planned session, or None for a rest day.
WEEKLY_PLAN: tuple[tuple[int, int] | None, ...] = (
    (5, 60),  # off-ice strength
    (6, 75),  # ice practice
    (7, 90),  # ice practice + conditioning
    None,
    (4, 45),  # pre-game skate
    (8, 65),  # game
    None,
)
# Load progression over the six weeks: build, build, peak, deload, build, peak.
WEEKLY_LOAD_FACTOR = (0.85, 0.95, 1.05, 0.75, 1.0, 1.1)


@dataclass
class SeedResult:
    created: bool
    org_id: uuid.UUID
    logins: int = 0
    rpe_logs: int = 0
    health_problems: int = 0
    teams: dict[str, uuid.UUID] = field(default_factory=dict)


@dataclass(frozen=True)
class PlannedSession:
    session_date: date
    rpe: int
    duration_minutes: int


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def planned_sessions(login: DemoLogin, rng: random.Random, last_day: date) -> list[PlannedSession]:
    """Six weeks of one player's sessions up to ``last_day``: RPE 3–9, 30–120 minutes, rest days included."""
    first_day = last_day - timedelta(days=SEED_WEEKS * 7 - 1)
    effort_offset = rng.uniform(-0.8, 0.8)  # some players rate everything harder than others
    sessions = []
    for day_index in range(SEED_WEEKS * 7):
        day = first_day + timedelta(days=day_index)
        week = day_index // 7
        attendance = login.attendance_early if week < SEED_WEEKS - 2 else 0.95
        plan = WEEKLY_PLAN[day.weekday()]
        if plan is None or rng.random() > attendance:
            continue
        planned_rpe, planned_minutes = plan
        factor = WEEKLY_LOAD_FACTOR[week]
        rpe = _clamp(planned_rpe * (0.9 + factor / 10) + effort_offset + rng.gauss(0, 0.7), 3, 9)
        minutes = _clamp((planned_minutes * factor + rng.gauss(0, 8)) / 5, 6, 24) * 5
        sessions.append(PlannedSession(day, rpe, minutes))
    return sessions


def wellness_answers(sessions: list[PlannedSession], rng: random.Random, last_day: date) -> list[tuple[date, dict]]:
    """A Hooper questionnaire on most mornings (1 = very, very good … 7 = very, very bad): fatigue and soreness follow
    the previous day's load, sleep and stress wander on their own."""
    load_by_day = {s.session_date: s.rpe * s.duration_minutes for s in sessions}
    first_day = last_day - timedelta(days=SEED_WEEKS * 7 - 1)
    answers = []
    for day_index in range(SEED_WEEKS * 7):
        day = first_day + timedelta(days=day_index)
        if rng.random() > 0.85:  # a skipped morning
            continue
        yesterday_load = load_by_day.get(day - timedelta(days=1), 0)
        strain = yesterday_load / 200  # about 0 on rest days, 3 after a hard game
        answers.append(
            (
                day,
                {
                    "sleep_quality": _clamp(3 + rng.gauss(0, 1), 1, 7),
                    "fatigue": _clamp(2 + strain + rng.gauss(0, 0.8), 1, 7),
                    "stress": _clamp(3 + rng.gauss(0, 0.9), 1, 7),
                    "muscle_soreness": _clamp(2 + strain * 0.9 + rng.gauss(0, 0.8), 1, 7),
                },
            )
        )
    return answers


# (name, unit, direction, typical value, spread, improvement over the six weeks)
PHYSICAL_TESTS = (
    ("1RM back squat", "kg", "higher_is_better", 95.0, 15.0, 5.0),
    ("30 m sprint", "s", "lower_is_better", 4.45, 0.15, -0.05),
)


async def seed_demo_club(settings: UsersSettings) -> SeedResult:
    engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
    sessions = session_factory(engine)
    try:
        async with sessions() as session, session.begin():
            existing = await users_repository.get_organization_by_slug(session, CLUB_SLUG)
            if existing is not None:
                return SeedResult(created=False, org_id=existing.id)
            return await _create_club(session, settings)
    finally:
        await engine.dispose()


async def _create_club(session, settings: UsersSettings) -> SeedResult:
    org = await users_service.create_organization(
        session, name=CLUB_NAME, slug=CLUB_SLUG, time_zone=CLUB_TIME_ZONE, language="en"
    )
    teams = {
        name: await users_service.create_team(session, org.id, name=name, season=SEASON, age_group=name)
        for name in TEAMS
    }
    result = SeedResult(created=True, org_id=org.id, teams={name: team.id for name, team in teams.items()})
    created = {}
    rng = random.Random(RANDOM_SEED)
    yesterday = datetime.now(ZoneInfo(CLUB_TIME_ZONE)).date() - timedelta(days=1)
    for login in DEMO_LOGINS:
        user = await users_service.create_user(
            session,
            settings,
            org.id,
            email=login.email,
            full_name=login.full_name,
            password=DEMO_PASSWORD,
            org_roles=list(login.org_roles),
            date_of_birth=login.born,
        )
        created[login.email] = user
        for team_name in login.teams:
            membership = await users_service.add_membership(session, user, teams[team_name], login.role)
            await _tell_training(session, org.id, membership)
            await tell_medical(session, org.id, membership)
            await tell_planning(session, org.id, membership)
        result.logins += 1
        if login.role != "player":
            continue
        principal = await users_service.principal_for(session, user)
        sessions = planned_sessions(login, rng, yesterday)
        for planned in sessions:
            body = RpeLogCreate(
                session_date=planned.session_date, rpe=planned.rpe, duration_minutes=planned.duration_minutes
            )
            await training_service.log_session_rpe(session, principal, body)
            result.rpe_logs += 1
        for day, items in wellness_answers(sessions, rng, yesterday):
            await wellness.submit_wellness(session, principal, WellnessCreate(wellness_date=day, items=items))
    admin = await users_service.principal_for(session, created[DEMO_LOGINS[0].email])
    await _seed_physical_tests(
        session, admin, [created[login.email] for login in DEMO_LOGINS if login.role == "player"], rng, yesterday
    )
    for login in DEMO_LOGINS:
        if login.guardian_of:
            await guardians.link(session, admin, created[login.guardian_of].id, created[login.email].id)
    medic = next(login for login in DEMO_LOGINS if login.role == "medical_staff")
    players = {login.email: await users_service.principal_for(session, created[login.email]) for login in DEMO_LOGINS
               if login.role == "player"}  # fmt: skip
    result.health_problems = await seed_medical(
        session, await users_service.principal_for(session, created[medic.email]), players
    )
    coach = next(login for login in DEMO_LOGINS if login.role == "coach")
    coach_principal = await users_service.principal_for(session, created[coach.email])
    await seed_planning(session, coach_principal, result.teams, players, CLUB_TIME_ZONE)
    # the club's use of the system over the same weeks (usage reports)
    people = [(created[login.email], login.role) for login in DEMO_LOGINS]
    await seed_usage(session, people, rng, yesterday, SEED_WEEKS, CLUB_TIME_ZONE)
    return result


async def _tell_training(session, org_id: uuid.UUID, membership) -> None:
    """The training service learns the membership now, as its consumer would from the event a moment later (and then
    skips it): the demo's logs and results are filed under each player's team."""
    data = users_contract.MembershipAdded(
        membership_id=membership.id, user_id=membership.user_id, team_id=membership.team_id, role=membership.role
    )
    event = new_event(users_contract.MembershipAddedEvent, org_id=org_id, subject_id=None, actor=None, data=data)
    await training_read_models.apply_event(session, event)


async def _seed_physical_tests(session, admin, players, rng: random.Random, last_day: date) -> None:
    """Two test days, five weeks apart, for every player."""
    for name, unit, direction, typical, spread, improvement in PHYSICAL_TESTS:
        test = await wellness.create_physical_test(
            session, admin, PhysicalTestCreate(name=name, unit=unit, direction=direction)
        )
        for player in players:
            baseline = typical + rng.gauss(0, spread)
            for weeks_ago, gain in ((SEED_WEEKS - 1, 0.0), (0, improvement)):
                tested_on = last_day - timedelta(weeks=weeks_ago)
                value = round(baseline + gain + rng.gauss(0, spread / 20), 2)
                await wellness.record_result(
                    session, admin, test, TestResultCreate(player_id=player.id, value=value, tested_on=tested_on)
                )
