from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["available", "limited", "unavailable"]


class PlayerAvailabilityRead(BaseModel):
    player_id: uuid.UUID
    player_name: str | None = Field(description="The player's name; null when not yet known")
    status: Status = Field(description="Today's status; `available` when medical staff never recorded one")
    status_recorded: bool = Field(description="False when no availability was ever recorded for the player")
    restrictions: list[str] = Field(description="What a limited player may not do (codes such as `no_contact`)")
    since: date | None = Field(description="The day the status took effect")
    expected_return: date | None = Field(description="Expected return to full availability, when known")
    note_for_staff: str | None = Field(description="Non-clinical guidance from medical staff")


class AvailabilityDayRead(BaseModel):
    day: date
    expected_available: int = Field(description="Players available, or expected back by that day")
    expected_limited: int
    expected_unavailable: int
    returning: list[str] = Field(description="Names of the players expected back that day")


class AvailabilityWeekRead(BaseModel):
    week_start: date = Field(description="Monday of the week")
    player_days: int = Field(description="Days players were on the roster that week, up to today")
    available_player_days: int
    limited_player_days: int
    unavailable_player_days: int
    availability_pct: float = Field(description="Available player-days ÷ player-days × 100")
    participation_pct: float = Field(description="Available or limited player-days ÷ player-days × 100")


class TeamAvailabilityRead(BaseModel):
    team_id: uuid.UUID
    team_name: str | None = Field(description="The team's name; null when not yet known")
    today: date = Field(description="The club's today")
    as_of: datetime = Field(description="When the statistics snapshot these figures come from was published")
    available: int = Field(description="Players available today")
    limited: int = Field(description="Players limited today")
    unavailable: int = Field(description="Players unavailable today")
    players: list[PlayerAvailabilityRead] = Field(description="The current roster by name")
    week_ahead: list[AvailabilityDayRead] = Field(description="Today and the six days after it")
    weeks: list[AvailabilityWeekRead] = Field(description="Weeks starting in the period asked for (by date)")
