"""A synthetic season of training-load, wellness, test and availability events for a few players.

Reproducible (numpy, fixed seed) and deliberately untidy: days with nothing reported, rest days reported only by a
wellness questionnaire, days with two sessions, a player who joins late, a player with a three-week gap, and a
wellness resubmission that replaces the day's answers.
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
    TestResultRecorded,
    TestResultRecordedEvent,
    WellnessSubmitted,
    WellnessSubmittedEvent,
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


@dataclass
class WellnessAnswer:
    player_id: str
    wellness_date: date
    instrument: str
    total_score: int
    submitted_at: datetime


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
                    season.sessions.append(SessionLog(str(player), day, rpe, minutes))
                    season.events.append(
                        session_rpe_logged(
                            org_id=season.org_id, player_id=player, team_id=team, session_date=day, rpe=rpe,
                            duration_minutes=minutes, logged_at=_at(day, 10 + 6 * session),
                        )
                    )  # fmt: skip
            if not trains or rng.random() < 0.7:
                _answer(season, rng, player, team, instrument, day, hour=7)
                if rng.random() < 0.03:
                    _answer(season, rng, player, team, instrument, day, hour=9)  # replaces the 07:00 answers
    _record_tests(season, rng, players)
    _change_availability(season, players)
    return season


def _answer(season, rng, player, team, instrument: str, day: date, *, hour: int) -> None:
    names, low, high = (HOOPER_ITEMS, 1, 7) if instrument == "hooper" else (MCLEAN_ITEMS, 1, 5)
    items = {name: int(rng.integers(low, high + 1)) for name in names}
    submitted = _at(day, hour)
    season.wellness.append(WellnessAnswer(str(player), day, instrument, sum(items.values()), submitted))
    data = WellnessSubmitted(
        wellness_id=uuid.uuid4(), player_id=player, team_id=team, wellness_date=day, instrument=instrument,
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
                data = TestResultRecorded(
                    result_id=result_id, player_id=player, team_id=team, test_id=test_id, test_name=name,
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
