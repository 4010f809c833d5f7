"""A synthetic league: many clubs, teams and players with a season's worth of training data, for load and scale.

The plan (who exists, what they did on which day) is a pure function of the seed and the size, so the same seed
always gives the same league and, on the NATS path, byte-for-byte the same events. Players train to a youth team's
weekly plan with rest days, skip some sessions, and now and then get injured and log nothing until they are back;
most of them answer the daily wellness questionnaire, and every four weeks the team runs physical tests.

Two ways in: through the public HTTP API (validation, outbox and relay, like real use; only what the API offers,
which today is memberships and session RPE) or straight onto NATS as valid contract events (for pipeline
throughput; everything, including wellness, tests and medical availability).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from contracts.envelope import EventEnvelope
from contracts.medical import AvailabilityChanged, AvailabilityChangedEvent
from contracts.training import (
    HOOPER_ITEMS,
    SessionRpeLogged,
    SessionRpeLoggedEvent,
    TestResultRecorded,
    TestResultRecordedEvent,
    WellnessSubmitted,
    WellnessSubmittedEvent,
)
from contracts.users import (
    MembershipAdded,
    MembershipAddedEvent,
    OrganizationCreated,
    OrganizationCreatedEvent,
    TeamCreated,
    TeamCreatedEvent,
    UserCreated,
    UserCreatedEvent,
)

SEASON = "2026-27"
TIME_ZONE = "Europe/Stockholm"
LEAGUE_PASSWORD = "league-demo-password"
AGE_GROUPS = ("U14", "U16", "U18", "U20", "J20", "A")
# A youth team's week, Monday first: (planned RPE, planned minutes) or None for a rest day (as in the demo club).
WEEKLY_PLAN: tuple[tuple[int, int] | None, ...] = ((5, 60), (6, 75), (7, 90), None, (4, 45), (8, 65), None)
MISSED_SESSION_RATE = 0.08
DAILY_INJURY_RATE = 0.004
INJURY_DAYS = (5, 28)
WELLNESS_RESPONSE_RATE = 0.7
TEST_EVERY_DAYS = 28
PHYSICAL_TESTS = (  # name, unit, direction, typical value, spread
    ("30 m sprint", "s", "lower_is_better", 4.4, 0.25),
    ("countermovement jump", "cm", "higher_is_better", 38.0, 5.0),
)


@dataclass(frozen=True)
class LeagueSize:
    orgs: int = 1
    teams: int = 2  # per club
    players: int = 20  # per team
    days: int = 28

    def __post_init__(self):
        if min(self.orgs, self.teams, self.players, self.days) < 1:
            raise ValueError("a league needs at least one club, team, player and day")
        if self.days > 365:
            raise ValueError("at most 365 days: the training service accepts sessions up to a year back")


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    full_name: str
    email: str
    born: date | None = None


@dataclass
class Team:
    id: uuid.UUID
    name: str
    age_group: str
    coach: Person
    players: list[Person] = field(default_factory=list)


@dataclass
class Club:
    id: uuid.UUID
    name: str
    slug: str
    admin: Person
    teams: list[Team] = field(default_factory=list)


@dataclass(frozen=True)
class RpeEntry:
    player_id: uuid.UUID
    team_id: uuid.UUID
    session_date: date
    rpe: int
    duration_minutes: int


@dataclass(frozen=True)
class WellnessEntry:
    player_id: uuid.UUID
    team_id: uuid.UUID
    wellness_date: date
    items: dict[str, int]
    sleep_hours: float


@dataclass(frozen=True)
class TestEntry:
    player_id: uuid.UUID
    team_id: uuid.UUID
    test_index: int
    value: float
    tested_on: date


@dataclass(frozen=True)
class AvailabilityEntry:
    player_id: uuid.UUID
    status: str
    effective_from: date
    expected_until: date | None


Activity = RpeEntry | WellnessEntry | TestEntry | AvailabilityEntry


@dataclass
class League:
    size: LeagueSize
    seed: int
    end_date: date
    clubs: list[Club]

    @property
    def first_date(self) -> date:
        return self.end_date - timedelta(days=self.size.days - 1)

    def teams(self) -> Iterator[tuple[Club, Team]]:
        for club in self.clubs:
            for team in club.teams:
                yield club, team

    def activities(self) -> Iterator[tuple[Club, Activity]]:
        """Every day's training, wellness, tests and availability changes, day by day across the whole league."""
        players = [
            _PlayerDay(club, team, player, random.Random(f"{self.seed}:{player.id}"))
            for club, team in self.teams()
            for player in team.players
        ]
        for day_index in range(self.size.days):
            day = self.first_date + timedelta(days=day_index)
            for state in players:
                for activity in state.day(day, day_index):
                    yield state.club, activity


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _uuid7(rng: random.Random, at: datetime) -> uuid.UUID:
    """A UUIDv7 for ``at`` whose random bits come from ``rng``: time-ordered like the services' ids, yet repeatable."""
    value = (int(at.timestamp() * 1000) & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76
    value |= rng.getrandbits(12) << 64
    value |= 0b10 << 62
    value |= rng.getrandbits(62)
    return uuid.UUID(int=value)


def plan_league(size: LeagueSize, *, seed: int, end_date: date | None = None) -> League:
    """Clubs, teams, coaches and players; ``end_date`` is the last day with data (yesterday, UTC, by default)."""
    end_date = end_date or datetime.now(UTC).date() - timedelta(days=1)
    rng = random.Random(seed)
    clubs = []
    for club_no in range(1, size.orgs + 1):
        slug = f"league-{seed}-club-{club_no}"
        admin = Person(_uuid(rng), f"Admin {club_no}", f"admin@{slug}.example.org")
        club = Club(_uuid(rng), f"League Club {club_no} (seed {seed})", slug, admin)
        for team_no in range(1, size.teams + 1):
            age_group = AGE_GROUPS[(team_no - 1) % len(AGE_GROUPS)]
            name = f"{age_group}-{team_no}"
            coach = Person(_uuid(rng), f"Coach {club_no}.{team_no}", f"coach{team_no}@{slug}.example.org")
            team = Team(_uuid(rng), name, age_group, coach)
            for player_no in range(1, size.players + 1):
                born = date(end_date.year - 14 - (team_no - 1) % 6, 1, 1) + timedelta(days=rng.randrange(365))
                email = f"p{team_no}-{player_no}@{slug}.example.org"
                team.players.append(Person(_uuid(rng), f"Player {club_no}.{team_no}.{player_no}", email, born))
            club.teams.append(team)
        clubs.append(club)
    return League(size, seed, end_date, clubs)


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


class _PlayerDay:
    """One player's day-by-day behaviour; its own random stream keeps the plan independent of iteration order."""

    def __init__(self, club: Club, team: Team, player: Person, rng: random.Random):
        self.club, self.team, self.player, self.rng = club, team, player, rng
        self.effort_offset = rng.uniform(-0.8, 0.8)  # some players rate everything harder than others
        self.sprint_base = rng.gauss(0, 1)
        self.injured_until: date | None = None

    def day(self, day: date, day_index: int) -> list[Activity]:
        rng, out = self.rng, []
        if self.injured_until is not None and day > self.injured_until:
            self.injured_until = None
            out.append(AvailabilityEntry(self.player.id, "available", day, None))
        if self.injured_until is None and rng.random() < DAILY_INJURY_RATE:
            self.injured_until = day + timedelta(days=rng.randint(*INJURY_DAYS))
            out.append(AvailabilityEntry(self.player.id, "unavailable", day, self.injured_until))
        injured = self.injured_until is not None
        plan = WEEKLY_PLAN[day.weekday()]
        if plan is not None and not injured and rng.random() > MISSED_SESSION_RATE:
            planned_rpe, planned_minutes = plan
            rpe = _clamp(planned_rpe + self.effort_offset + rng.gauss(0, 0.7), 1, 10)
            minutes = _clamp((planned_minutes + rng.gauss(0, 8)) / 5, 3, 24) * 5
            out.append(RpeEntry(self.player.id, self.team.id, day, rpe, minutes))
        if rng.random() < WELLNESS_RESPONSE_RATE:
            worse = 1 if injured or (plan is not None and plan[0] >= 7) else 0
            items = {name: _clamp(rng.gauss(3 + worse, 1), 1, 7) for name in HOOPER_ITEMS}
            out.append(WellnessEntry(self.player.id, self.team.id, day, items, round(rng.uniform(6, 9.5), 1)))
        if day_index % TEST_EVERY_DAYS == 0 and not injured:
            for test_index, (_, _, direction, typical, spread) in enumerate(PHYSICAL_TESTS):
                trend = day_index / 365 * spread * (-1 if direction == "lower_is_better" else 1)
                value = round(typical + self.sprint_base * spread + trend + rng.gauss(0, spread / 5), 2)
                out.append(TestEntry(self.player.id, self.team.id, test_index, value, day))
        return out


# --- contract events (the NATS way in) -----------------------------------------------------------------------------


def _at(day: date, hour: int, rng: random.Random) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC) + timedelta(seconds=rng.randrange(3600))


def _envelope(event_class: Any, rng: random.Random, at: datetime, org_id, actor_id, subject_id, data):
    return event_class(
        event_id=_uuid7(rng, at),
        occurred_at=at,
        org_id=org_id,
        actor_id=actor_id,
        subject_id=subject_id,
        correlation_id=None,
        data=data,
    )


def league_events(league: League) -> Iterator[EventEnvelope[Any]]:
    """The league as contract events: clubs, teams, people and memberships first, then every day's activity."""
    rng = random.Random(f"{league.seed}:events")
    setup_day = league.first_date - timedelta(days=1)
    for club in league.clubs:
        at = _at(setup_day, 8, rng)
        org = OrganizationCreated(org_id=club.id, name=club.name, time_zone=TIME_ZONE, language="en")
        yield _envelope(OrganizationCreatedEvent, rng, at, club.id, None, club.id, org)
        admin = UserCreated(user_id=club.admin.id, full_name=club.admin.full_name, org_roles=["club_admin"])
        yield _envelope(UserCreatedEvent, rng, at, club.id, None, club.admin.id, admin)
        for team in club.teams:
            data = TeamCreated(team_id=team.id, name=team.name, season=SEASON, age_group=team.age_group)
            yield _envelope(TeamCreatedEvent, rng, at, club.id, club.admin.id, team.id, data)
            for person, role in [(team.coach, "coach"), *((p, "player") for p in team.players)]:
                birth_year = person.born.year if person.born else None
                user = UserCreated(user_id=person.id, full_name=person.full_name, birth_year=birth_year)
                yield _envelope(UserCreatedEvent, rng, at, club.id, club.admin.id, person.id, user)
                membership_id = _uuid(rng)
                added = MembershipAdded(membership_id=membership_id, user_id=person.id, team_id=team.id, role=role)
                yield _envelope(MembershipAddedEvent, rng, at, club.id, club.admin.id, membership_id, added)
    coaches = {team.id: team.coach.id for _, team in league.teams()}
    for club, activity in league.activities():
        yield _activity_event(club, activity, coaches, rng)


def _activity_event(club: Club, activity: Activity, coaches: dict, rng: random.Random) -> EventEnvelope[Any]:
    if isinstance(activity, RpeEntry):
        at = _at(activity.session_date, 18, rng)
        log_id = _uuid(rng)
        data = SessionRpeLogged(
            log_id=log_id,
            player_id=activity.player_id,
            team_id=activity.team_id,
            session_date=activity.session_date,
            rpe=activity.rpe,
            duration_minutes=activity.duration_minutes,
            session_rpe_load_au=activity.rpe * activity.duration_minutes,
            logged_at=at,
        )
        return _envelope(SessionRpeLoggedEvent, rng, at, club.id, activity.player_id, log_id, data)
    if isinstance(activity, WellnessEntry):
        at = _at(activity.wellness_date, 7, rng)
        wellness_id = _uuid(rng)
        data = WellnessSubmitted(
            wellness_id=wellness_id,
            player_id=activity.player_id,
            team_id=activity.team_id,
            wellness_date=activity.wellness_date,
            instrument="hooper",
            items=activity.items,
            total_score=sum(activity.items.values()),
            sleep_hours=activity.sleep_hours,
            submitted_at=at,
        )
        return _envelope(WellnessSubmittedEvent, rng, at, club.id, activity.player_id, wellness_id, data)
    if isinstance(activity, TestEntry):
        at = _at(activity.tested_on, 16, rng)
        name, unit, direction, _, _ = PHYSICAL_TESTS[activity.test_index]
        result_id = _uuid(rng)
        coach_id = coaches[activity.team_id]
        data = TestResultRecorded(
            result_id=result_id,
            player_id=activity.player_id,
            team_id=activity.team_id,
            # one id per test in the whole league: the test battery is shared, like a club's test catalogue
            test_id=uuid.uuid5(uuid.NAMESPACE_URL, f"hockey-hub:test:{name}"),
            test_name=name,
            unit=unit,
            direction=direction,
            value=activity.value,
            tested_on=activity.tested_on,
            recorded_by=coach_id,
        )
        return _envelope(TestResultRecordedEvent, rng, at, club.id, coach_id, result_id, data)
    at = _at(activity.effective_from, 9, rng)
    data = AvailabilityChanged(
        player_id=activity.player_id,
        status=activity.status,
        effective_from=activity.effective_from,
        expected_until=activity.expected_until,
    )
    return _envelope(AvailabilityChangedEvent, rng, at, club.id, club.admin.id, activity.player_id, data)


def count_events(league: League) -> int:
    setup = sum(2 + sum(1 + 2 * (1 + len(t.players)) for t in c.teams) for c in league.clubs)
    return setup + sum(1 for _ in league.activities())
