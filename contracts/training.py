"""Training domain events: session RPE, wellness, physical tests, exercises, templates and sessions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from contracts.envelope import Payload, define_event

# Hooper & Mackinnon (1995): 1 (very, very good) … 7 (very, very bad); the Hooper index is their sum (4–28, lower is
# better). McLean et al. (2010): 1 (worst) … 5 (best); the total is their sum (5–25, higher is better).
HOOPER_ITEMS = ("sleep_quality", "fatigue", "stress", "muscle_soreness")
MCLEAN_ITEMS = ("fatigue", "sleep_quality", "muscle_soreness", "stress", "mood")
INSTRUMENT_RANGES = {"hooper": (HOOPER_ITEMS, 1, 7), "mclean": (MCLEAN_ITEMS, 1, 5)}
_ITEM_NAMES = {instrument: frozenset(names) for instrument, (names, _, _) in INSTRUMENT_RANGES.items()}

Instrument = Literal["hooper", "mclean"]
Direction = Literal["higher_is_better", "lower_is_better"]


def instrument_problem(instrument: str, items: dict[str, int], total_score: int) -> str | None:
    """What is wrong with a wellness form's answers for its instrument, or None (also the warehouse's compiled check,
    contracts/checks.py, so the rule is written once)."""
    names, low, high = INSTRUMENT_RANGES[instrument]
    if items.keys() != _ITEM_NAMES[instrument]:
        return f"{instrument} has the items {', '.join(names)}"
    scores = items.values()  # never empty here: every instrument has items
    if min(scores) < low or max(scores) > high:
        return f"{instrument} items are scored {low}–{high}"
    if total_score != sum(scores):
        return "total_score must be the sum of the items"
    return None


class SessionRpeLogged(Payload):
    """A player's session rating of perceived exertion (Foster 2001, CR-10) and the session's duration."""

    log_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None = None
    session_date: date
    rpe: int = Field(ge=0, le=10, description="CR-10 rating of perceived exertion")
    duration_minutes: int = Field(ge=1, le=600)
    session_rpe_load_au: int = Field(ge=0, description="rpe × duration_minutes, in arbitrary units")
    logged_at: AwareDatetime
    session_id: uuid.UUID | None = Field(None, description="The scheduled training session, when there is one")
    logged_by: uuid.UUID | None = Field(None, description="Who logged it: the player, a guardian or staff")


class SessionRpeCorrected(SessionRpeLogged):
    """A logged session corrected (RPE, minutes, date or session): these values replace the earlier ones of
    ``log_id`` everywhere; ``previous_session_date`` names the day the old values counted on."""

    previous_session_date: date
    corrected_at: AwareDatetime


class SessionRpeDeleted(Payload):
    """A logged session withdrawn (logged twice, logged for the wrong player): it no longer counts anywhere."""

    log_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None = None
    session_date: date
    deleted_at: AwareDatetime


class WellnessSubmitted(Payload):
    """A player's daily wellness questionnaire (one per player and day; a resubmission replaces the day's answers)."""

    wellness_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None = None
    wellness_date: date
    instrument: Instrument
    items: dict[str, int] = Field(description="Item → score on the instrument's scale")
    total_score: int = Field(description="Sum of the items: Hooper index (lower is better) or McLean total (higher)")
    sleep_hours: float | None = Field(None, ge=0, le=24)
    submitted_at: AwareDatetime
    answered_by: uuid.UUID | None = Field(None, description="Who answered: the athlete, or a guardian for a minor")

    @model_validator(mode="after")
    def _items_fit_the_instrument(self):
        if problem := instrument_problem(self.instrument, self.items, self.total_score):
            raise ValueError(problem)
        return self


class WellnessCorrected(WellnessSubmitted):
    """A day's questionnaire corrected: these answers replace the earlier ones of ``wellness_id``."""

    corrected_at: AwareDatetime


class WellnessDeleted(Payload):
    """A day's questionnaire withdrawn: that day counts as not answered."""

    wellness_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None = None
    wellness_date: date
    deleted_at: AwareDatetime


class TestResultRecorded(Payload):
    """One physical test result (e.g. 1RM back squat 120 kg, 30 m sprint 4.21 s)."""

    __test__ = False  # a domain name, not a pytest test class

    result_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None = None
    test_id: uuid.UUID
    test_name: str
    unit: str
    direction: Direction
    value: float
    tested_on: date
    recorded_by: uuid.UUID


class ExerciseChanged(Payload):
    exercise_id: uuid.UUID
    name: str
    category: str
    predefined: bool = False


class TemplateChanged(Payload):
    template_id: uuid.UUID
    name: str
    block_count: int = Field(ge=0)
    exercise_count: int = Field(ge=0)


class SessionScheduled(Payload):
    session_id: uuid.UUID
    template_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    player_ids: list[uuid.UUID] = Field(default_factory=list)
    starts_at: datetime
    planned_duration_minutes: int | None = Field(None, ge=1, le=600)
    planned_rpe: int | None = Field(None, ge=0, le=10, description="The coach's intended intensity (CR-10)")
    calendar_event_id: uuid.UUID | None = None


class SessionCancelled(Payload):
    session_id: uuid.UUID
    reason: str | None = None


SessionRpeLoggedEvent = define_event("training.session_rpe.logged", SessionRpeLogged)
SessionRpeCorrectedEvent = define_event("training.session_rpe.corrected", SessionRpeCorrected)
SessionRpeDeletedEvent = define_event("training.session_rpe.deleted", SessionRpeDeleted)
WellnessSubmittedEvent = define_event("training.wellness.submitted", WellnessSubmitted)
WellnessCorrectedEvent = define_event("training.wellness.corrected", WellnessCorrected)
WellnessDeletedEvent = define_event("training.wellness.deleted", WellnessDeleted)
TestResultRecordedEvent = define_event("training.test_result.recorded", TestResultRecorded)
ExerciseCreatedEvent = define_event("training.exercise.created", ExerciseChanged)
ExerciseUpdatedEvent = define_event("training.exercise.updated", ExerciseChanged)
TemplateCreatedEvent = define_event("training.template.created", TemplateChanged)
TemplateUpdatedEvent = define_event("training.template.updated", TemplateChanged)
SessionScheduledEvent = define_event("training.session.scheduled", SessionScheduled)
SessionUpdatedEvent = define_event("training.session.updated", SessionScheduled)
SessionCancelledEvent = define_event("training.session.cancelled", SessionCancelled)
