"""Transfer requests and the saga's state as clients read it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from operational.kit.pagination import Page

TransferStatus = Literal["running", "completed", "compensating", "compensated"]
StepName = Literal["leave_old_team", "join_new_team", "credit_old_fee", "charge_new_fee"]


class TransferCreate(BaseModel):
    """Move ``player_id`` from ``from_team_id`` to ``to_team_id``. For another club, a platform admin also names
    ``to_org_id`` and the player's account there (``to_player_id``), and ``from_org_id`` when it is not their own."""

    model_config = ConfigDict(extra="forbid")

    player_id: uuid.UUID
    from_team_id: uuid.UUID
    to_team_id: uuid.UUID
    role: Literal["player"] = "player"
    effective_on: date | None = Field(None, description="First day with the new team (default: today, club time)")
    from_org_id: uuid.UUID | None = Field(None, description="The club the player leaves (default: yours)")
    to_org_id: uuid.UUID | None = Field(None, description="Another club (platform admins only)")
    to_player_id: uuid.UUID | None = Field(None, description="The player's account in that club")


class TransferStepRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: StepName
    sequence: int
    status: Literal["pending", "done", "compensated"]
    attempts: int = Field(description="Times the step was started (more than 1: resumed after a stop or a retry)")
    result: dict = Field(description="What the step did, e.g. the credit notes and invoices it made")
    error: str | None = None


class TransferRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    status: TransferStatus
    player_id: uuid.UUID
    from_team_id: uuid.UUID
    to_org_id: uuid.UUID
    to_player_id: uuid.UUID
    to_team_id: uuid.UUID
    role: str
    effective_on: date
    failure: str | None = Field(None, description="Why the transfer was undone")
    compensations_run: int = Field(0, description="Steps undone")
    player_name: str | None = None
    from_team_name: str | None = None
    to_team_name: str | None = None
    steps: list[TransferStepRead] = []
    created_at: datetime
    updated_at: datetime


class TransferPage(Page[TransferRead]):
    pass
