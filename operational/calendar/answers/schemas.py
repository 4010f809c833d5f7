from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from operational.kit.pagination import Page
from operational.kit.schemas import SingleLine, WriteModel

Response = Literal["going", "not_going", "maybe"]
AttendanceStatus = Literal["present", "absent", "late", "excused"]


class RsvpWrite(WriteModel):
    response: Response
    reason: SingleLine | None = Field(None, max_length=500)
    player_id: uuid.UUID | None = Field(None, description="Defaults to you; a parent answers for their minor")


class RsvpRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    series_id: uuid.UUID
    occurrence_start: datetime
    player_id: uuid.UUID
    response: str
    reason: str | None
    answered_by: uuid.UUID
    answered_at: datetime


class RsvpLine(BaseModel):
    """One expected player and their answer; ``response`` is null while they have not answered."""

    player_id: uuid.UUID
    name: str | None
    response: Response | None = None
    reason: str | None = None
    answered_by: uuid.UUID | None = None
    answered_at: datetime | None = None


class RsvpTotals(BaseModel):
    going: int = 0
    not_going: int = 0
    maybe: int = 0
    no_answer: int = 0


class RsvpSheet(Page[RsvpLine]):
    totals: RsvpTotals = Field(default_factory=RsvpTotals, description="Answers of everyone on the sheet, all pages")


class AttendanceEntry(WriteModel):
    player_id: uuid.UUID
    status: AttendanceStatus
    reason: SingleLine | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _excused_has_a_reason(self) -> AttendanceEntry:
        if self.status == "excused" and not self.reason:
            raise ValueError("an excused absence needs a reason (e.g. 'ill', 'school trip')")
        return self


class AttendanceWrite(WriteModel):
    records: list[AttendanceEntry] = Field(min_length=1, max_length=200)


class AttendanceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    series_id: uuid.UUID
    occurrence_start: datetime
    player_id: uuid.UUID
    status: str
    reason: str | None
    recorded_by: uuid.UUID
    recorded_at: datetime


class AttendanceLine(BaseModel):
    """One expected player and their attendance; ``status`` is null while it is not recorded."""

    player_id: uuid.UUID
    name: str | None
    status: AttendanceStatus | None = None
    reason: str | None = None
    recorded_by: uuid.UUID | None = None
    recorded_at: datetime | None = None


class AttendanceTotals(BaseModel):
    present: int = 0
    absent: int = 0
    late: int = 0
    excused: int = 0
    not_recorded: int = 0


class AttendanceSheet(Page[AttendanceLine]):
    totals: AttendanceTotals = Field(
        default_factory=AttendanceTotals, description="Attendance of everyone on the sheet, all pages"
    )
