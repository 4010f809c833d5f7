from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field


class PlayerComplianceRead(BaseModel):
    player_id: uuid.UUID
    player_name: str | None = Field(description="The player's name; null when not yet known")
    last_rpe_date: date | None = Field(description="The last day the player has a session-RPE log for; null: never")
    last_wellness_date: date | None = Field(description="The last day the player answered wellness; null: never")
    days_since_rpe: int | None = Field(description="Days from last_rpe_date to the club's today (0 = today)")
    days_since_wellness: int | None = Field(description="Days from last_wellness_date to the club's today")
    rpe_logged_today: bool
    wellness_logged_today: bool
    rpe_days_in_window: int = Field(description="Days of the window with a session-RPE log")
    wellness_days_in_window: int = Field(description="Days of the window with a wellness questionnaire")


class WeeklyComplianceRead(BaseModel):
    week_start: date = Field(description="Monday of the week")
    players_on_roster: int
    expected_wellness_answers: int = Field(description="Players on the roster × days of the week (to the snapshot)")
    wellness_answers: int
    wellness_compliance: float | None = Field(description="wellness_answers ÷ expected_wellness_answers, 0–1")
    sessions_attended: int = Field(description="Sessions the players attended (calendar attendance)")
    rpe_logs: int
    rpe_compliance: float | None = Field(
        description="rpe_logs ÷ sessions_attended; above 1 when players log sessions without attendance taken"
    )


class TeamComplianceRead(BaseModel):
    team_id: uuid.UUID
    team_name: str | None = Field(description="The team's name; null when not yet known")
    as_of: datetime = Field(description="When the statistics snapshot these figures come from was published")
    today: date = Field(description="The club's today")
    window_days: int = Field(description="The window: the last `days` days, today included")
    window_from: date = Field(description="First day of the window")
    players_on_roster: int = Field(description="Players on the team today")
    share_rpe_logged_today: float | None = Field(description="Share of the roster with an RPE log today (0–1)")
    share_wellness_logged_today: float | None = Field(description="Share of the roster who answered wellness today")
    share_rpe_logged_in_window: float | None = Field(description="Share with at least one RPE log in the window")
    share_wellness_logged_in_window: float | None = Field(description="Share with at least one answer in the window")
    players: list[PlayerComplianceRead] = Field(description="Today's roster, by name")
    weeks: list[WeeklyComplianceRead] = Field(
        default_factory=list, description="Monitoring compliance of the last weeks, oldest first (up to the snapshot)"
    )
