"""Request and response shapes of session RPE, wellness and physical tests.

Dates are checked for shape here (``Day``: a plausible year); whether a day is in the club's future or too far back
is the service's rule (dates.py), decided in the club's time zone.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from contracts.training import Direction, Instrument
from operational.kit.pagination import Page
from operational.kit.schemas import Day, PatchModel, SingleLine, WriteModel


def _rpe(*default):
    return Field(*default, ge=0, le=10, description="Session RPE on the CR-10 scale, 0 (rest) to 10 (maximal)")


def _minutes(*default):
    return Field(*default, ge=1, le=600, description="Session duration in minutes, 1 to 600")


def _sleep_hours():
    return Field(None, ge=0, le=24, allow_inf_nan=False, description="Hours slept last night, 0 to 24")


def _wellness_items(*default):
    return Field(
        *default,
        min_length=1,
        max_length=10,
        description="Item → score on the team's instrument (Hooper 1–7, McLean 1–5)",
    )


# --- session RPE ----------------------------------------------------------------------------------------------------
class RpeLogCreate(WriteModel):
    session_date: Day | None = Field(
        None,
        description="The day of the session (ISO 8601). Defaults to the planned session's day when session_id is "
        "given, else to today in the club's time zone; not in the future, at most a year back",
    )
    rpe: int = _rpe()
    duration_minutes: int = _minutes()
    player_id: uuid.UUID | None = Field(
        None, description="Defaults to you if you play; a guardian names the minor they log for"
    )
    team_id: uuid.UUID | None = Field(
        None, description="The player's team it was for; needed only when the player plays for several teams"
    )
    session_id: uuid.UUID | None = Field(None, description="The planned session this was, if any")
    allow_duplicate: bool = Field(
        False,
        description="Log a second session identical to one logged minutes ago (same day, RPE and minutes); without "
        "it such a log is refused as a double submission (409)",
    )


class RpeLogUpdate(PatchModel):
    """A correction: send only what changes; ``session_id`` may be cleared with null."""

    nullable_fields = frozenset({"session_id"})

    session_date: Day | None = None
    rpe: int | None = _rpe(None)
    duration_minutes: int | None = _minutes(None)
    team_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None


class RpeLogRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None
    session_date: date
    rpe: int
    duration_minutes: int
    session_rpe_load_au: int = Field(description="rpe × duration_minutes, in arbitrary units (AU)")
    session_id: uuid.UUID | None
    logged_at: datetime
    logged_by: uuid.UUID = Field(description="Who logged it: the player or a guardian")
    corrected_at: datetime | None


RpeLogPage = Page[RpeLogRead]


# --- wellness -------------------------------------------------------------------------------------------------------
class WellnessCreate(WriteModel):
    """A day's questionnaire. ``items`` are the instrument's items: Hooper 1–7 (1 = very, very good), McLean 1–5
    (5 = best). The instrument is the team's setting; send it only to check it. Answering again the same day replaces
    the day's answers."""

    wellness_date: Day | None = Field(None, description="Defaults to today in the club's time zone")
    items: dict[SingleLine, int] = _wellness_items()
    sleep_hours: float | None = _sleep_hours()
    instrument: Instrument | None = None
    team_id: uuid.UUID | None = Field(None, description="Needed only when the player plays for several teams")
    player_id: uuid.UUID | None = Field(
        None, description="Defaults to you if you play; a guardian names the minor they answer for"
    )


class WellnessUpdate(PatchModel):
    """A correction of a day's answers: send only what changes; ``sleep_hours`` may be cleared with null."""

    nullable_fields = frozenset({"sleep_hours"})

    wellness_date: Day | None = None
    items: dict[SingleLine, int] | None = _wellness_items(None)
    sleep_hours: float | None = _sleep_hours()
    team_id: uuid.UUID | None = None


class WellnessRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None
    wellness_date: date
    instrument: str
    items: dict[str, int]
    total_score: int
    sleep_hours: float | None
    submitted_at: datetime
    answered_by: uuid.UUID | None = Field(description="Who answered: the athlete or a guardian")
    corrected_at: datetime | None


WellnessPage = Page[WellnessRead]


class TeamSettingsUpdate(WriteModel):
    wellness_instrument: Instrument


class TeamSettingsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    team_id: uuid.UUID
    wellness_instrument: str


# --- physical tests -------------------------------------------------------------------------------------------------
class PhysicalTestCreate(WriteModel):
    name: SingleLine = Field(min_length=2, max_length=80, description="e.g. '1RM back squat', '30 m sprint'")
    unit: SingleLine = Field(min_length=1, max_length=16, description="e.g. kg, s, cm")
    direction: Direction
    description: str = Field("", max_length=500)


class PhysicalTestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    unit: str
    direction: str
    description: str


PhysicalTestPage = Page[PhysicalTestRead]


class TestResultCreate(WriteModel):
    __test__ = False  # a domain name, not a pytest test class

    player_id: uuid.UUID
    value: float = Field(gt=-1e6, lt=1e6, allow_inf_nan=False)
    tested_on: Day = Field(description="Not in the club's future, at most a year back")
    team_id: uuid.UUID | None = Field(None, description="Needed only when the player plays for several teams")


class TestResultRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    __test__ = False

    id: uuid.UUID
    test_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None
    value: float
    tested_on: date
    recorded_by: uuid.UUID


TestResultPage = Page[TestResultRead]
