"""Responses of the planning insights. Loads in AU (session RPE × minutes, Foster 2001); ratios 1 = as planned."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

REFERENCE_SMD = -0.44
REFERENCE = (
    "Inoue et al. (2022), Sports Medicine - Open 8:35: across studies athletes rated sessions harder than coaches "
    "intended, SMD ≈ −0.44 for RPE."
)


class KeyGameRead(BaseModel):
    series_id: uuid.UUID
    title: str
    starts_at: datetime
    priority: str = Field(description="A: peak for it; B: light taper; C: train through")


class TeamWeekRead(BaseModel):
    week_start: date = Field(description="Monday of the planned week")
    focus: str | None
    planned_sessions: int
    planned_load_au: int
    scheduled_sessions: int = Field(description="Training sessions and calendar practices planned that week")
    scheduled_load_au: int | None = Field(
        description="Σ their planned loads (intended RPE × minutes): one player doing all of them; null without RPEs"
    )
    low_intensity_pct: int
    moderate_intensity_pct: int
    high_intensity_pct: int
    players_on_record: int = Field(description="Players with days on record that week (0 for weeks ahead)")
    mean_actual_load_au: float | None = Field(description="Mean logged load per player that week")
    actual_to_planned_load_ratio: float | None = Field(description="Mean actual ÷ planned (1 = as planned)")
    ratio_trend_4_weeks: float | None = Field(description="Mean ratio of this and the three weeks before")
    sessions_missed: int | None = Field(description="Sessions the team's players missed (no log matched them)")
    sessions_added: int | None = Field(description="The players' logs that matched no planned session")
    scheduled_games: int = Field(description="The team's games that week (scheduled: never missed, never added)")
    games_logged: int | None = Field(description="Σ over players of the games a log of theirs matched")


class PlayerWeekRead(BaseModel):
    week_start: date
    planned_load_au: int
    actual_load_au: int
    planned_sessions: int
    scheduled_sessions: int = Field(description="Training sessions and calendar practices the player was planned for")
    scheduled_load_au: int | None = Field(description="Σ their planned loads (intended RPE × minutes)")
    logged_sessions: int
    actual_to_planned_load_ratio: float | None
    sessions_missed: int = Field(description="Scheduled sessions up to yesterday no log of the player matched")
    sessions_added: int = Field(description="The player's logs that matched no planned session")
    is_complete_week: bool
    games_scheduled: int = Field(description="The team's games that week (not training: never missed)")
    games_logged: int = Field(description="Of those, the games a log of the player matched")


class PlayerWeeksRead(BaseModel):
    player_id: uuid.UUID
    player_name: str | None
    weeks: list[PlayerWeekRead]


class SeasonPlanRead(BaseModel):
    team_id: uuid.UUID
    team_name: str | None
    first_week: date
    last_week: date
    as_of: datetime = Field(description="When the statistics snapshot these figures come from was published")
    weeks: list[TeamWeekRead] = Field(description="The team's planned weeks in the period, ahead included")
    key_games: list[KeyGameRead] = Field(description="Ranked games in the period")
    players: list[PlayerWeeksRead] = Field(description="Each player's planned vs actual weeks, by name")


class FormDayRead(BaseModel):
    metric_date: date
    is_projected: bool = Field(description="A day ahead, computed from the season plan's planned load")
    load_au: float
    fitness_au: float = Field(description="42-day exponentially weighted load")
    fatigue_au: float = Field(description="7-day exponentially weighted load")
    form_au: float = Field(description="fitness − fatigue (training stress balance)")


class PlayerFormRead(BaseModel):
    player_id: uuid.UUID
    player_name: str | None
    days: list[FormDayRead]


class TeamFormRead(BaseModel):
    team_id: uuid.UUID
    team_name: str | None
    as_of: datetime
    days: list[FormDayRead] = Field(description="The team's mean per day over its players")
    key_games: list[KeyGameRead]
    players: list[PlayerFormRead]


class EffortRead(BaseModel):
    coach_id: uuid.UUID
    coach_name: str | None
    session_type: str = Field(description="Intended intensity: easy (≤ 4), moderate (5–6), hard (≥ 7), or all")
    pairs: int
    mean_intended_rpe: float
    mean_perceived_rpe: float
    mean_difference_rpe: float = Field(description="intended − perceived")
    cohens_d: float | None = Field(description="Standardised mean difference d_av; negative: felt harder")
    hedges_g: float | None = Field(description="d_av corrected for small samples")


class TeamEffortRead(BaseModel):
    team_id: uuid.UUID
    team_name: str | None
    as_of: datetime
    reference_smd: float = REFERENCE_SMD
    reference: str = REFERENCE
    items: list[EffortRead]


class GoalProgressRead(BaseModel):
    goal_id: uuid.UUID
    team_id: uuid.UUID
    player_id: uuid.UUID | None = Field(description="Null for a team goal")
    player_name: str | None
    title: str
    metric: str
    test_name: str | None
    comparator: str
    target_value: float
    target_max_value: float | None
    starts_on: date
    due_on: date
    current_value: float | None = Field(description="Measured from what was logged; null before any measurement")
    measured_on: date | None
    is_met: bool | None
    progress_pct: float | None = Field(description="How far toward the target, percent (100 when met)")


class GoalsRead(BaseModel):
    as_of: datetime
    items: list[GoalProgressRead]
