"""When the warehouse job runs: one rule, used by the Dagster sensor and by the embedded runner's loop alike.

A run is due while events wait that no one has been handed yet. Messages awaiting an ack are different: they are in
a run's hands, or are redeliveries waiting out their back-off, so they alone start a run only once
``REDELIVERY_RETRY_SECONDS`` have passed since the last one (a run that is still under way is never doubled).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pipelines.ingest import Backlog

REDELIVERY_RETRY_SECONDS = 30.0


@dataclass(frozen=True)
class TriggerState:
    backlog: Backlog
    # Seconds since the last run started; infinite when there has been none.
    seconds_since_last_run: float = math.inf
    runs_in_flight: int = 0


def should_run(state: TriggerState) -> str | None:
    """Why the warehouse job should run now, or None when it should not."""
    if state.runs_in_flight:
        return None
    if state.backlog.undelivered:
        return f"{state.backlog.undelivered} event(s) pending"
    if state.backlog.awaiting_ack and state.seconds_since_last_run >= REDELIVERY_RETRY_SECONDS:
        return f"{state.backlog.awaiting_ack} event(s) due for redelivery"
    return None


def skip_reason(state: TriggerState) -> str:
    """Why no run is due (for a sensor's skip message)."""
    if state.runs_in_flight:
        return f"{state.runs_in_flight} warehouse run(s) already in flight"
    if state.backlog.awaiting_ack:
        wait = f"{REDELIVERY_RETRY_SECONDS:.0f}s"
        return f"{state.backlog.awaiting_ack} event(s) awaiting redelivery, retried {wait} after the last run"
    return "no events pending for the warehouse consumer"
