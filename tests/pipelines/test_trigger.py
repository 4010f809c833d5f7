"""One rule decides when the warehouse job runs: the sensor and the embedded runner both ask should_run."""

from __future__ import annotations

import math
import uuid
from datetime import date

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.ingest import Backlog
from pipelines.resources import NatsResource
from pipelines.trigger import REDELIVERY_RETRY_SECONDS, TriggerState, should_run
from tests.pipelines.streams import publish
from tests.warehouse.events import session_rpe_logged


@pytest.mark.parametrize(
    ("undelivered", "awaiting_ack", "seconds_since_last_run", "in_flight", "runs"),
    [
        (0, 0, math.inf, 0, False),  # nothing to do
        (3, 0, 0.0, 0, True),  # new events run at once, however recent the last run
        (3, 0, math.inf, 1, False),  # a run under way takes them
        (0, 2, 1.0, 0, False),  # redeliveries wait out their back-off …
        (0, 2, REDELIVERY_RETRY_SECONDS, 0, True),  # … and are retried after it
        (0, 2, math.inf, 0, True),  # left unacked by a previous process
        (0, 2, math.inf, 1, False),
    ],
)
def test_should_run(undelivered, awaiting_ack, seconds_since_last_run, in_flight, runs):
    state = TriggerState(Backlog(undelivered, awaiting_ack), seconds_since_last_run, in_flight)
    assert (should_run(state) is not None) == runs


def test_the_sensor_requests_a_run_for_the_reason_should_run_gives(pipeline_env):
    sensor = defs().get_repository_def().get_sensor_def("warehouse_pending_events_sensor")
    instance = dg.DagsterInstance.ephemeral()
    resources = {"nats": NatsResource(url=pipeline_env.nats_url)}
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        idle = sensor.evaluate_tick(context)
    assert not idle.run_requests and idle.skip_message == "no events pending for the warehouse consumer"

    event = session_rpe_logged(
        org_id=uuid.uuid4(), player_id=uuid.uuid4(), session_date=date(2026, 1, 5), rpe=5, duration_minutes=40
    )
    publish(pipeline_env.nats_url, [event, event.model_copy(update={"event_id": uuid.uuid4()})])
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        (request,) = sensor.evaluate_tick(context).run_requests
    assert request.tags["hub/trigger"] == should_run(TriggerState(Backlog(2, 0))) == "2 event(s) pending"
