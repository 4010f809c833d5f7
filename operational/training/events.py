"""Events the training service emits."""

from __future__ import annotations

from contracts.envelope import utc_now
from contracts.training import SessionRpeLogged, SessionRpeLoggedEvent
from operational.kit.auth import Principal
from operational.kit.ids import uuid7
from operational.kit.logs import current_correlation_id
from operational.training.models import SessionRpeLog


def session_rpe_logged(log: SessionRpeLog, actor: Principal) -> SessionRpeLoggedEvent:
    return SessionRpeLoggedEvent(
        event_id=uuid7(),
        occurred_at=utc_now(),
        org_id=log.org_id,
        actor_id=actor.user_id,
        subject_id=log.id,
        correlation_id=current_correlation_id(),
        data=SessionRpeLogged(
            log_id=log.id,
            player_id=log.player_id,
            team_id=log.team_id,
            session_date=log.session_date,
            rpe=log.rpe,
            duration_minutes=log.duration_minutes,
            session_rpe_load_au=log.session_rpe_load_au,
            logged_at=log.logged_at,
        ),
    )
