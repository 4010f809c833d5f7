"""Training domain events."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import AwareDatetime, Field

from contracts.envelope import Payload, define_event


class SessionRpeLogged(Payload):
    """A player's session rating of perceived exertion (Foster 2001, CR-10) and the session's duration."""

    log_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None = None
    session_date: date
    rpe: int = Field(ge=0, le=10, description="CR-10 rating of perceived exertion")
    duration_minutes: int = Field(ge=1, le=600)
    session_rpe_load_au: int = Field(ge=0, description="rpe × duration_minutes, in arbitrary units")
    logged_at: AwareDatetime


SessionRpeLoggedEvent = define_event("training.session_rpe.logged", SessionRpeLogged)
