from __future__ import annotations

import uuid
from datetime import date, datetime

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
