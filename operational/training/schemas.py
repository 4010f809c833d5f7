from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

from pydantic import BaseModel, ConfigDict, Field, field_validator

from operational.kit.pagination import Page

# The last calendar day anywhere on earth (UTC+14): a date after it is in the future for every club.
_LATEST_ZONE = timezone(timedelta(hours=14))


class RpeLogCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_date: date = Field(description="The day of the session (ISO 8601, e.g. 2026-11-21)")
    rpe: int = Field(ge=0, le=10, description="Session RPE on the CR-10 scale, 0 (rest) to 10 (maximal)")
    duration_minutes: int = Field(ge=1, le=600, description="Session duration in minutes, 1 to 600")
    player_id: uuid.UUID | None = Field(None, description="Defaults to the caller; only your own sessions for now")
    team_id: uuid.UUID | None = Field(None, description="Defaults to your team when you are in exactly one")

    @field_validator("session_date")
    @classmethod
    def _not_in_future(cls, value: date) -> date:
        if value > datetime.now(_LATEST_ZONE).date():
            raise ValueError("the session date is in the future; log a session on or after the day it happened")
        if value < datetime.now(UTC).date() - timedelta(days=366):
            raise ValueError("the session date is more than a year ago")
        return value


class RpeLogRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None
    session_date: date
    rpe: int
    duration_minutes: int
    session_rpe_load_au: int = Field(description="rpe × duration_minutes, in arbitrary units (AU)")
    logged_at: datetime


RpeLogPage = Page[RpeLogRead]
