"""A synthetic season of training-load, wellness, test and availability events for a few players.

Reproducible (numpy, fixed seed) and deliberately untidy: days with nothing reported, rest days reported only by a
wellness questionnaire, days with two sessions, a player who joins late, a player with a three-week gap, a wellness
resubmission that replaces the day's answers, sessions logged without a team, sessions and questionnaires corrected
(some to another day) or deleted, test results recorded by a club admin without a team, and rosters that were set up
after the first logs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np

from contracts.envelope import EventEnvelope
from contracts.medical import AvailabilityChanged, AvailabilityChangedEvent
from contracts.training import (
    HOOPER_ITEMS,
    MCLEAN_ITEMS,
    SessionRpeCorrected,
    SessionRpeCorrectedEvent,
    SessionRpeDeleted,
    SessionRpeDeletedEvent,
    TestResultRecorded,
    TestResultRecordedEvent,
    WellnessCorrected,
    WellnessCorrectedEvent,
    WellnessDeleted,
    WellnessDeletedEvent,
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
from tests.warehouse.events import session_rpe_logged

SEASON_START = date(2026, 1, 5)
SEASON_DAYS = 100


@dataclass
class SessionLog:
    player_id: str
    session_date: date
    rpe: int
    minutes: int
    log_id: str = ""
    team_id: str | None = None


@dataclass
class WellnessAnswer:
    player_id: str
    wellness_date: date
    instrument: str
    total_score: int
    submitted_at: datetime
    wellness_id: str = ""
    items: dict = field(default_factory=dict)
    team_id: str | None = None


@dataclass
class TestResult:
    result_id: str
    player_id: str
    team_id: str
    test_id: str
    direction: str
    value: float
    tested_on: date


@dataclass
class Season:
    org_id: uuid.UUID
    events: list[EventEnvelope] = field(default_factory=list)
    sessions: list[SessionLog] = field(default_factory=list)
    wellness: list[WellnessAnswer] = field(default_factory=list)
    tests: list[TestResult] = field(default_factory=list)
    availability: dict[str, str] = field(default_factory=dict)
    team_of: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    team_names: dict[str, str] = field(default_factory=dict)
    corrected_logs: int = 0
    deleted_logs: int = 0


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _envelope(event_type, org_id: uuid.UUID, subject: uuid.UUID, data, when: datetime) -> EventEnvelope:
    return event_type(
        event_id=uuid.uuid4(), occurred_at=when, org_id=org_id, actor_id=subject, subject_id=subject, data=data
    )


def generate_season(seed: int = 20260105) -> Season:
    rng = np.random.default_rng(seed)
    season = Season(org_id=uuid.uuid4())
    team_a, team_b = uuid.uuid4(), uuid.uuid4()
    players = [
        # (player, team, instrument, first day, gap of days with nothing reported)
        (uuid.uuid4(), team_a, "hooper", 0, range(0)),
        (uuid.uuid4(), team_a, "mclean", 0, range(0)),
        (uuid.uuid4(), team_a, "hooper", 30, range(0)),
        (uuid.uuid4(), team_b, "mclean", 0, range(45, 66)),
    ]
    _set_up_club(season, {team_a: "U16", team_b: "U18"}, players)
    for player, team, instrument, first_day, gap in players:
        season.team_of[str(player)] = str(team)
        for offset in range(first_day, SEASON_DAYS):
            day = SEASON_START + timedelta(days=offset)
            draw = rng.random()
            if offset in gap or (offset > first_day and draw < 0.12):
                continue  # nothing reported at all
            trains = offset == first_day or draw >= 0.35
            if trains:
                for session in range(2 if rng.random() < 0.1 else 1):
                    rpe, minutes = int(rng.integers(2, 11)), int(rng.integers(30, 121))
                    # some sessions are logged without a team: the warehouse files them under the player's team
                    logged_team = team if rng.random() >= 0.15 else None
                    event = session_rpe_logged(
                        org_id=season.org_id, player_id=player, team_id=logged_team, session_date=day, rpe=rpe,
                        duration_minutes=minutes, logged_at=_at(day, 10 + 6 * session),
                    )  # fmt: skip
                    season.sessions.append(SessionLog(str(player), day, rpe, minutes, str(event.data.log_id),
                                                      None if logged_team is None else str(logged_team)))  # fmt: skip
                    season.events.append(event)
            if not trains or rng.random() < 0.7:
                _answer(season, rng, player, team, instrument, day, hour=7)
                if rng.random() < 0.03:
                    _answer(season, rng, player, team, instrument, day, hour=9)  # replaces the 07:00 answers
    _record_tests(season, rng, players)
    _change_availability(season, players)
    _correct_and_delete(season, rng)
    return season


def _set_up_club(season: Season, teams: dict, players) -> None:
    """The club, its teams and its players with names; rosters only ten days into the season (logs came first)."""
    org = season.org_id
    start = _at(SEASON_START, 6)
    season.events.append(
        _envelope(
            OrganizationCreatedEvent,
            org,
            org,
            OrganizationCreated(org_id=org, name="Season Club", time_zone="Europe/Stockholm", language="sv"),
            start,
        )  # fmt: skip
    )
    for team_id, name in teams.items():
        season.team_names[str(team_id)] = name
        season.events.append(
            _envelope(TeamCreatedEvent, org, team_id, TeamCreated(team_id=team_id, name=name, age_group=name), start)
        )
    for number, (player, team, *_) in enumerate(players):
        name = ["Elin Berg", "Alva Persson", "Noah Karlsson", "Hugo Larsson"][number]
        season.names[str(player)] = name
        season.events.append(
            _envelope(
                UserCreatedEvent, org, player, UserCreated(user_id=player, full_name=name, birth_year=2010), start
            )  # fmt: skip
        )
        membership = uuid.uuid4()
        season.events.append(
            _envelope(
                MembershipAddedEvent,
                org,
                membership,
                MembershipAdded(membership_id=membership, user_id=player, team_id=team, role="player"),
                _at(SEASON_START + timedelta(days=10), 9),
            )  # fmt: skip
        )


def _correct_and_delete(season: Season, rng) -> None:
    """Correct about 6 % of sessions (a fifth of them to the day before) and delete about 3 %; correct about 4 % of
    questionnaires and delete about 2 %. The season's lists keep only what stands afterwards."""
    kept = []
    for log in season.sessions:
        draw = rng.random()
        changed_at = _at(log.session_date, 21)
        if draw < 0.03:
            data = SessionRpeDeleted(log_id=uuid.UUID(log.log_id), player_id=uuid.UUID(log.player_id),
                                     session_date=log.session_date, deleted_at=changed_at)  # fmt: skip
            season.events.append(
                _envelope(SessionRpeDeletedEvent, season.org_id, uuid.UUID(log.log_id), data, changed_at)
            )
            season.deleted_logs += 1
            continue
        if draw < 0.09:
            previous = log.session_date
            log.minutes = int(rng.integers(30, 121))
            if rng.random() < 0.2:
                log.session_date = previous - timedelta(days=1)
            data = SessionRpeCorrected(
                log_id=uuid.UUID(log.log_id), player_id=uuid.UUID(log.player_id),
                team_id=None if log.team_id is None else uuid.UUID(log.team_id), session_date=log.session_date,
                rpe=log.rpe, duration_minutes=log.minutes, session_rpe_load_au=log.rpe * log.minutes,
                logged_at=_at(previous, 10), previous_session_date=previous, corrected_at=changed_at,
            )  # fmt: skip
            season.events.append(
                _envelope(SessionRpeCorrectedEvent, season.org_id, uuid.UUID(log.log_id), data, changed_at)
            )
            season.corrected_logs += 1
        kept.append(log)
    season.sessions = kept
    answers = []
    for answer in season.wellness:
        draw = rng.random()
        changed_at = answer.submitted_at + timedelta(hours=5)
        wellness_id = uuid.UUID(answer.wellness_id)
        if draw < 0.02:
            data = WellnessDeleted(wellness_id=wellness_id, player_id=uuid.UUID(answer.player_id),
                                   wellness_date=answer.wellness_date, deleted_at=changed_at)  # fmt: skip
            season.events.append(_envelope(WellnessDeletedEvent, season.org_id, wellness_id, data, changed_at))
            continue
        if draw < 0.06:
            item = next(iter(answer.items))
            low, high = (1, 7) if answer.instrument == "hooper" else (1, 5)
            answer.items[item] = low if answer.items[item] != low else high
            answer.total_score = sum(answer.items.values())
            data = WellnessCorrected(
                wellness_id=wellness_id, player_id=uuid.UUID(answer.player_id),
                team_id=None if answer.team_id is None else uuid.UUID(answer.team_id),
                wellness_date=answer.wellness_date, instrument=answer.instrument, items=dict(answer.items),
                total_score=answer.total_score, sleep_hours=7.5, submitted_at=answer.submitted_at,
                corrected_at=changed_at,
            )  # fmt: skip
            season.events.append(_envelope(WellnessCorrectedEvent, season.org_id, wellness_id, data, changed_at))
        answers.append(answer)
    season.wellness = answers


def _answer(season, rng, player, team, instrument: str, day: date, *, hour: int) -> None:
    names, low, high = (HOOPER_ITEMS, 1, 7) if instrument == "hooper" else (MCLEAN_ITEMS, 1, 5)
    items = {name: int(rng.integers(low, high + 1)) for name in names}
    submitted = _at(day, hour)
    wellness_id = uuid.uuid4()
    season.wellness.append(
        WellnessAnswer(
            str(player), day, instrument, sum(items.values()), submitted, str(wellness_id), dict(items), str(team)
        )  # fmt: skip
    )
    data = WellnessSubmitted(
        wellness_id=wellness_id, player_id=player, team_id=team, wellness_date=day, instrument=instrument,
        items=items, total_score=sum(items.values()), sleep_hours=7.5, submitted_at=submitted,
    )  # fmt: skip
    season.events.append(_envelope(WellnessSubmittedEvent, season.org_id, player, data, submitted))


def _record_tests(season, rng, players) -> None:
    tests = [(uuid.uuid4(), "30 m sprint", "s", "lower_is_better", 4.3, 0.2),
             (uuid.uuid4(), "Back squat 1RM", "kg", "higher_is_better", 120.0, 15.0)]  # fmt: skip
    for test_id, name, unit, direction, mean, spread in tests:
        for tested_on in (SEASON_START + timedelta(days=35), SEASON_START + timedelta(days=80)):
            for player, team, *_ in players:
                value = round(float(rng.normal(mean, spread)), 2)
                result_id = uuid.uuid4()
                season.tests.append(
                    TestResult(str(result_id), str(player), str(team), str(test_id), direction, value, tested_on)
                )
                # the second test day is recorded by a club admin, who names no team
                recorded_team = team if tested_on < SEASON_START + timedelta(days=50) else None
                data = TestResultRecorded(
                    result_id=result_id, player_id=player, team_id=recorded_team, test_id=test_id, test_name=name,
                    unit=unit, direction=direction, value=value, tested_on=tested_on, recorded_by=uuid.uuid4(),
                )  # fmt: skip
                season.events.append(
                    _envelope(TestResultRecordedEvent, season.org_id, result_id, data, _at(tested_on, 12))
                )


def _change_availability(season, players) -> None:
    injured = players[3][0]
    for offset, status in ((44, "unavailable"), (66, "limited")):
        day = SEASON_START + timedelta(days=offset)
        data = AvailabilityChanged(
            player_id=injured, status=status, effective_from=day,
            restrictions=["no_contact"] if status == "limited" else [],
        )  # fmt: skip
        season.events.append(_envelope(AvailabilityChangedEvent, season.org_id, injured, data, _at(day, 8)))
    season.availability[str(injured)] = "limited"
