from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

_RATE = "events attended ÷ (events recorded − events excused), 0–1; null when every absence was excused or none"


class AttendanceWeekRead(BaseModel):
    week_start: date = Field(description="Monday of the week")
    events_recorded: int = Field(description="Occurrences where attendance was taken")
    events_attended: int = Field(description="Of those, present or late")
    events_excused: int = Field(description="Of those, excused (not counted against the player)")
    attendance_rate: float | None = Field(description=_RATE)


class PlayerAttendanceRead(BaseModel):
    player_id: uuid.UUID
    player_name: str | None = Field(description="The player's name; null when not yet known")
    events_recorded: int
    events_attended: int
    events_excused: int
    attendance_rate: float | None = Field(description=f"Over the whole period: {_RATE}")
    weeks: list[AttendanceWeekRead] = Field(description="The weeks with attendance taken for the player, by date")


class TeamAttendanceRead(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    team_id: uuid.UUID
    team_name: str | None = Field(description="The team's name; null when not yet known")
    date_from: date = Field(alias="from", description="First day of the period (inclusive)")
    date_to: date = Field(alias="to", description="Last day of the period (inclusive)")
    as_of: datetime = Field(description="When the statistics snapshot these figures come from was published")
    weeks: list[AttendanceWeekRead] = Field(description="The team's totals per week (weeks starting in the period)")
    players: list[PlayerAttendanceRead] = Field(description="Each player's totals and weeks, by name")
