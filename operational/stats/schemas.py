from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_AS_OF = "When the statistics snapshot these figures come from was published"
_PLAYER_NAME = 'The player\'s name; "Former player" for someone who asked to be forgotten; null when not yet known'
_TEAM_NAME = "The team's name; null when not yet known"
# "from" is a Python keyword; the JSON keys mirror the query parameters.
_PERIOD_KEYS = ConfigDict(populate_by_name=True, serialize_by_alias=True)

_CHECK_ENTRY = (
    "Why the day's load looks implausible (over 1,500 AU, or over 3 × the player's highest day of the 28 before), "
    "as a sentence naming the day; null when it looks plausible"
)


class DailyLoadRead(BaseModel):
    session_date: date
    session_count: int = Field(description="Sessions logged that day")
    total_duration_minutes: int = Field(description="Minutes of all that day's sessions")
    session_rpe_load_au: int = Field(description="Sum of RPE × minutes over that day's sessions, arbitrary units")
    check_entry: str | None = Field(None, description=_CHECK_ENTRY)


class PlayerDayLoadRead(DailyLoadRead):
    player_id: uuid.UUID
    player_name: str | None = Field(description=_PLAYER_NAME)


class PlayerDailyLoadRead(BaseModel):
    model_config = _PERIOD_KEYS

    player_id: uuid.UUID
    player_name: str | None = Field(description=_PLAYER_NAME)
    date_from: date = Field(alias="from", description="First day of the period (inclusive)")
    date_to: date = Field(alias="to", description="Last day of the period (inclusive)")
    as_of: datetime = Field(description=_AS_OF)
    days: list[DailyLoadRead] = Field(description="One entry per day with at least one session, by date")


class TeamDailyLoadRead(BaseModel):
    model_config = _PERIOD_KEYS

    team_id: uuid.UUID
    team_name: str | None = Field(description=_TEAM_NAME)
    date_from: date = Field(alias="from", description="First day of the period (inclusive)")
    date_to: date = Field(alias="to", description="Last day of the period (inclusive)")
    as_of: datetime = Field(description=_AS_OF)
    player_days: list[PlayerDayLoadRead] = Field(
        description="One entry per player and day with a session for this team, by date then player name"
    )


ACWR_CAVEAT = (
    "The acute:chronic workload ratio describes how a group's load changes; it is not an injury predictor for an "
    "individual (Impellizzeri et al. 2020)."
)
AcwrVariant = Literal["coupled_rolling", "uncoupled_rolling", "ewma"]
AcwrBand = Literal["low", "sweet spot", "elevated", "high"]
AcwrWithheldReason = Literal["under_28_days_of_history", "no_entries_in_last_7_days", "under_21_of_28_days_with_data"]
# The default: this week's load against the average week of the three before it. It is the simplest variant a coach
# can check by hand (acute ÷ chronic, both in AU per week), and unlike the coupled ratio its acute week is not part
# of its own chronic load, the mathematical coupling that makes the coupled ratio correlate spuriously (Lolli et al.
# 2019). The EWMA is not the default: started from zero it underestimates chronic load for weeks after a player's
# first log (Williams et al. 2017 note the initial value problem), and it is harder to check by hand.
ACWR_DEFAULT_VARIANT: AcwrVariant = "uncoupled_rolling"
ACWR_VARIANT_CITATIONS: dict[str, str] = {
    "uncoupled_rolling": (
        "Uncoupled rolling-average ACWR: the last 7 days' load ÷ the mean weekly load of the 21 days before them "
        "(Windt & Gabbett, Br J Sports Med 2019; Lolli et al., Br J Sports Med 2019)"
    ),
    "coupled_rolling": (
        "Coupled rolling-average ACWR: the last 7 days' load ÷ the mean weekly load of the last 28 days "
        "(Hulin et al., Br J Sports Med 2014)"
    ),
    "ewma": (
        "Exponentially weighted moving average ACWR: EWMA of daily load with N = 7 ÷ EWMA with N = 28 "
        "(Williams et al., Br J Sports Med 2017)"
    ),
}
ACWR_UNITS: dict[str, str] = {
    "uncoupled_rolling": "AU per week",
    "coupled_rolling": "AU per week",
    "ewma": "AU per day",
}


class AcwrVariantRead(BaseModel):
    acute: float = Field(description="Acute load in `unit`: 7-day total (rolling) or EWMA N = 7")
    chronic: float = Field(description="Chronic load in `unit`; acute ÷ chronic is `ratio` to 3 decimals")
    ratio: float | None = Field(description="Null when withheld (see acwr_withheld_reason) or chronic load is 0")
    band: AcwrBand | None = Field(description="[0, 0.8) low · [0.8, 1.3) sweet spot · [1.3, 1.5) elevated · ≥ 1.5 high")
    unit: str = Field(description="AU per week for the rolling variants, AU per day for the EWMA")


class LoadMetricsDayRead(BaseModel):
    metric_date: date
    session_rpe_load_au: int = Field(description="The day's session-RPE load; 0 on days without sessions")
    day_has_data: bool = Field(description="A session or a wellness questionnaire was reported that day")
    history_days: int
    days_with_data_last_7: int
    days_with_data_last_28: int
    completeness: float = Field(
        description="Share of the 28 days ending on metric_date with an entry (0–1): what chronic load and every "
        "ACWR rest on; low values mean thin data"
    )
    completeness_last_7_days: float = Field(
        description="Share of the 7 days ending on metric_date with an entry: what acute load, monotony and "
        "strain rest on"
    )
    acute_load_au: int = Field(description="Total load of the 7 days ending on metric_date")
    chronic_load_coupled_weekly_au: float = Field(description="28-day total ÷ 4")
    chronic_load_uncoupled_weekly_au: float = Field(description="Total of days t−27 … t−7 ÷ 3")
    ewma_acute_load_au: float
    ewma_chronic_load_au: float
    acwr: float | None = Field(description="The ratio of the default variant (acwr_variant)")
    acwr_band: AcwrBand | None = Field(description="The band of the default variant's ratio")
    acwr_variant: AcwrVariant = Field(description="Which variant `acwr` is: the default, see acwr_default_variant")
    acwr_variants: dict[AcwrVariant, AcwrVariantRead] = Field(
        description="Every variant with its own acute and chronic load, ratio and band"
    )
    acwr_withheld_reason: AcwrWithheldReason | None
    training_monotony: float | None = Field(description="7-day mean ÷ SD of daily load; null when SD is 0")
    training_strain_au: float | None = Field(description="7-day total × monotony")
    check_entry: str | None = Field(description=_CHECK_ENTRY)


class WellnessDayRead(BaseModel):
    wellness_date: date
    instrument: Literal["hooper", "mclean"]
    total_score: int
    sleep_hours: float | None
    baseline_observations: int
    baseline_completeness: float = Field(
        description="Share of the 28 days before with answers on this instrument (0–1): what the baseline rests on"
    )
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
    team_id: uuid.UUID | None = Field(description="The player's team on the test day")
    team_name: str | None = Field(description=_TEAM_NAME)
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
    player_name: str | None = Field(description=_PLAYER_NAME)
    last_entry_date: date | None = Field(description="The last day the player reported a session or questionnaire")
    no_entries_days: int | None = Field(
        description="Days since last_entry_date, counted to the club's today (0 = reported today); from 7 on the "
        "ratio is withheld (no_entries_in_last_7_days); null when the player never reported anything"
    )
    check_entry: str | None = Field(
        description="The latest implausible day of the acute week ending on metric_date, as a sentence; null when none"
    )
    latest_wellness: LatestWellnessRead | None = Field(description="The player's most recent questionnaire")
    availability: AvailabilityRead | None = Field(description="Null when medical staff never recorded a status")


class TeamLoadBoardRead(BaseModel):
    team_id: uuid.UUID
    team_name: str | None = Field(description=_TEAM_NAME)
    as_of: datetime = Field(description=_AS_OF)
    today: date = Field(description="The club's today, which no_entries_days counts to")
    acwr_default_variant: AcwrVariant = ACWR_DEFAULT_VARIANT
    acwr_default_variant_citation: str = ACWR_VARIANT_CITATIONS[ACWR_DEFAULT_VARIANT]
    acwr_variant_citations: dict[AcwrVariant, str] = Field(
        default_factory=lambda: dict(ACWR_VARIANT_CITATIONS), description="How each variant is computed, and its source"
    )
    acwr_caveat: str = ACWR_CAVEAT
    players: list[LoadBoardPlayerRead] = Field(description="Each player's latest day in the team, by name")


class PlayerLoadMetricsRead(BaseModel):
    model_config = _PERIOD_KEYS

    player_id: uuid.UUID
    player_name: str | None = Field(description=_PLAYER_NAME)
    date_from: date = Field(alias="from", description="First day of the period (inclusive)")
    date_to: date = Field(alias="to", description="Last day of the period (inclusive)")
    as_of: datetime = Field(description=_AS_OF)
    acwr_default_variant: AcwrVariant = ACWR_DEFAULT_VARIANT
    acwr_default_variant_citation: str = ACWR_VARIANT_CITATIONS[ACWR_DEFAULT_VARIANT]
    acwr_caveat: str = ACWR_CAVEAT
    days: list[LoadMetricsDayRead] = Field(description="One entry per day of the player's series, by date")


class PlayerWellnessRead(BaseModel):
    model_config = _PERIOD_KEYS

    player_id: uuid.UUID
    player_name: str | None = Field(description=_PLAYER_NAME)
    date_from: date = Field(alias="from", description="First day of the period (inclusive)")
    date_to: date = Field(alias="to", description="Last day of the period (inclusive)")
    as_of: datetime = Field(description=_AS_OF)
    days: list[WellnessDayRead]


class PlayerTestResultsRead(BaseModel):
    player_id: uuid.UUID
    player_name: str | None = Field(description=_PLAYER_NAME)
    as_of: datetime = Field(description=_AS_OF)
    results: list[PhysicalTestResultRead] = Field(description="Every result, by test name then date")


class PlayerNameRead(BaseModel):
    player_id: uuid.UUID
    player_name: str | None = Field(description=_PLAYER_NAME)


class TeamNameRead(BaseModel):
    team_id: uuid.UUID
    team_name: str | None = Field(description=_TEAM_NAME)


class MeRead(BaseModel):
    user_id: uuid.UUID
    name: str | None = Field(description="The caller's name; null until their profile reaches the statistics")
    roles: list[str] = Field(description="The caller's roles, as in their token")
    players: list[PlayerNameRead] = Field(
        description="Whose player statistics the caller may read as the athlete: themself (if a player) and the "
        "minors they are guardian of; by name"
    )
    teams: list[TeamNameRead] = Field(
        description="Teams whose statistics the caller may read: their own as coach or physical trainer, every "
        "team of the club for club admins; by name"
    )
    health_teams: list[TeamNameRead] = Field(
        default_factory=list,
        description="Teams whose availability and injury statistics the caller may read: those of `teams`, and "
        "every team of the club for medical staff; by name",
    )
