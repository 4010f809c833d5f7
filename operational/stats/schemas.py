from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_AS_OF = "When the statistics snapshot these figures come from was published"
# "from" is a Python keyword; the JSON keys mirror the query parameters.
_PERIOD_KEYS = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class DailyLoadRead(BaseModel):
    session_date: date
    session_count: int = Field(description="Sessions logged that day")
    total_duration_minutes: int = Field(description="Minutes of all that day's sessions")
    session_rpe_load_au: int = Field(description="Sum of RPE × minutes over that day's sessions, arbitrary units")


class PlayerDayLoadRead(BaseModel):
    player_id: uuid.UUID
    session_date: date
    session_count: int
    total_duration_minutes: int
    session_rpe_load_au: int = Field(description="Sum of RPE × minutes over that day's sessions, arbitrary units")


class PlayerDailyLoadRead(BaseModel):
    model_config = _PERIOD_KEYS

    player_id: uuid.UUID
    date_from: date = Field(alias="from", description="First day of the period (inclusive)")
    date_to: date = Field(alias="to", description="Last day of the period (inclusive)")
    as_of: datetime = Field(description=_AS_OF)
    days: list[DailyLoadRead] = Field(description="One entry per day with at least one session, by date")


class TeamDailyLoadRead(BaseModel):
    model_config = _PERIOD_KEYS

    team_id: uuid.UUID
    date_from: date = Field(alias="from", description="First day of the period (inclusive)")
    date_to: date = Field(alias="to", description="Last day of the period (inclusive)")
    as_of: datetime = Field(description=_AS_OF)
    player_days: list[PlayerDayLoadRead] = Field(
        description="One entry per player and day with a session for this team, by date then player"
    )


ACWR_CAVEAT = (
    "The acute:chronic workload ratio describes how a group's load changes; it is not an injury predictor for an "
    "individual (Impellizzeri et al. 2020)."
)
AcwrVariant = Literal["coupled_rolling", "uncoupled_rolling", "ewma"]
AcwrBand = Literal["low", "sweet spot", "elevated", "high"]
_ACWR_VARIANT = (
    "coupled_rolling: 7-day total ÷ (28-day total ÷ 4); uncoupled_rolling: 7-day total ÷ mean weekly total of the "
    "21 days before; ewma: EWMA (N = 7) ÷ EWMA (N = 28)"
)


class AcwrRead(BaseModel):
    variant: AcwrVariant = Field(description=_ACWR_VARIANT)
    ratio: float | None = Field(description="Null when withheld (see acwr_withheld_reason) or chronic load is 0")
    band: AcwrBand | None = Field(description="[0, 0.8) low · [0.8, 1.3) sweet spot · [1.3, 1.5) elevated · ≥ 1.5 high")


class LoadMetricsDayRead(BaseModel):
    metric_date: date
    session_rpe_load_au: int = Field(description="The day's session-RPE load; 0 on days without sessions")
    day_has_data: bool = Field(description="A session or a wellness questionnaire was reported that day")
    history_days: int
    days_with_data_last_28: int
    acute_load_au: int = Field(description="Total load of the 7 days ending on metric_date")
    chronic_load_coupled_weekly_au: float = Field(description="28-day total ÷ 4")
    chronic_load_uncoupled_weekly_au: float = Field(description="Total of days t−27 … t−7 ÷ 3")
    ewma_acute_load_au: float
    ewma_chronic_load_au: float
    acwr: list[AcwrRead]
    acwr_withheld_reason: Literal["under_28_days_of_history", "under_21_of_28_days_with_data"] | None
    training_monotony: float | None = Field(description="7-day mean ÷ SD of daily load; null when SD is 0")
    training_strain_au: float | None = Field(description="7-day total × monotony")


class WellnessDayRead(BaseModel):
    wellness_date: date
    instrument: Literal["hooper", "mclean"]
    total_score: int
    sleep_hours: float | None
    baseline_observations: int
    baseline_mean_score: float | None
    baseline_sd_score: float | None
    wellness_z_score: float | None = Field(description="Against the player's previous 28 days; negative = worse")
    below_baseline_flag: bool | None = Field(description="z-score below −1")
    z_score_withheld_reason: Literal["under_7_baseline_observations", "baseline_without_spread"] | None


class PhysicalTestResultRead(BaseModel):
    result_id: uuid.UUID
    test_id: uuid.UUID
    test_name: str
    unit: str
    direction: Literal["higher_is_better", "lower_is_better"]
    result_value: float
    tested_on: date
    is_latest_for_player: bool
    team_players_tested: int | None
    team_percentile_rank: float | None = Field(description="0–100 among the team's latest results; 100 = best")


class LatestWellnessRead(BaseModel):
    wellness_date: date
    instrument: Literal["hooper", "mclean"]
    total_score: int
    wellness_z_score: float | None
    below_baseline_flag: bool | None
    z_score_withheld_reason: str | None


class AvailabilityRead(BaseModel):
    status: Literal["available", "limited", "unavailable"]
    restrictions: list[str]
    expected_until: date | None


class LoadBoardPlayerRead(LoadMetricsDayRead):
    player_id: uuid.UUID
    latest_wellness: LatestWellnessRead | None = Field(description="The player's most recent questionnaire")
    availability: AvailabilityRead | None = Field(description="Null when medical staff never recorded a status")


class TeamLoadBoardRead(BaseModel):
    team_id: uuid.UUID
    as_of: datetime = Field(description=_AS_OF)
    acwr_caveat: str = ACWR_CAVEAT
    players: list[LoadBoardPlayerRead] = Field(description="Each player's latest day in the team, by player id")


class PlayerLoadMetricsRead(BaseModel):
    model_config = _PERIOD_KEYS

    player_id: uuid.UUID
    date_from: date = Field(alias="from", description="First day of the period (inclusive)")
    date_to: date = Field(alias="to", description="Last day of the period (inclusive)")
    as_of: datetime = Field(description=_AS_OF)
    acwr_caveat: str = ACWR_CAVEAT
    days: list[LoadMetricsDayRead] = Field(description="One entry per day of the player's series, by date")


class PlayerWellnessRead(BaseModel):
    model_config = _PERIOD_KEYS

    player_id: uuid.UUID
    date_from: date = Field(alias="from", description="First day of the period (inclusive)")
    date_to: date = Field(alias="to", description="Last day of the period (inclusive)")
    as_of: datetime = Field(description=_AS_OF)
    days: list[WellnessDayRead]


class PlayerTestResultsRead(BaseModel):
    player_id: uuid.UUID
    as_of: datetime = Field(description=_AS_OF)
    results: list[PhysicalTestResultRead] = Field(description="Every result, by test name then date")
