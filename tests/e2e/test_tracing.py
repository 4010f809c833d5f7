"""One trace follows a write from the HTTP request to the warehouse: request → outbox → relay → NATS → the services'
consumers and the warehouse ingest, with the spans in one chain (the SDK's in-memory exporter; real Postgres, NATS
and DuckDB)."""

from __future__ import annotations

import asyncio
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind

from messaging import nats as hub_nats
from operational.gateway import create_app
from pipelines.ingest import ingest_pending_events
from tests.messaging import drain_and_consume
from tests.operational.comms.helpers import CAL, PRACTICE
from tests.traces import in_memory_traces
from warehouse.duckdb_warehouse import DuckDBSession

pytestmark = pytest.mark.e2e

# the caller's own trace, which the API continues (W3C Trace Context: version-trace id-parent id-flags)
RPE_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PRACTICE_TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
CALLER_SPAN_ID = "00f067aa0ba902b7"


def _hex_trace(span: ReadableSpan) -> str:
    return format(span.context.trace_id, "032x")


def _only(spans: list[ReadableSpan], *, kind: SpanKind, name: str, parent: ReadableSpan | None = None) -> ReadableSpan:
    found = [s for s in spans if s.kind == kind and s.name == name]
    if parent is not None:
        found = [s for s in found if s.parent is not None and s.parent.span_id == parent.context.span_id]
    assert len(found) == 1, f"{len(found)} spans named {name!r}: {sorted(s.name for s in spans)}"
    return found[0]


async def _ingest(nats_url: str, conn: duckdb.DuckDBPyConnection) -> None:
    nc = await hub_nats.connect(nats_url, name="tests-tracing")
    try:
        await ingest_pending_events(nc.jetstream(), DuckDBSession(conn, Path()), load_id="traced")
    finally:
        await hub_nats.close(nc)


def test_one_trace_follows_a_write_from_the_api_through_the_consumers_to_the_warehouse(
    settings, club, pipeline_env, tmp_path
):
    drain_and_consume(settings, services=["calendar", "comms"])  # their rosters know the club, as the worker's would
    player, coach = club["player"], club["coach"]
    day = (date.today() - timedelta(days=1)).isoformat()
    with in_memory_traces() as exporter:
        with TestClient(create_app(settings)) as api:
            logged = api.post(
                "/api/v1/training/rpe-logs",
                json={"session_date": day, "rpe": 6, "duration_minutes": 45},
                headers={**player.headers, "traceparent": f"00-{RPE_TRACE_ID}-{CALLER_SPAN_ID}-01"},
            )
            assert logged.status_code == 201, logged.text
            practice = {**PRACTICE, "team_id": str(club.team_id)}
            scheduled = api.post(
                f"{CAL}/events",
                json=practice,
                headers={**coach.headers, "traceparent": f"00-{PRACTICE_TRACE_ID}-{CALLER_SPAN_ID}-01"},
            )
            assert scheduled.status_code == 201, scheduled.text
        drain_and_consume(settings, services=["comms"])  # publishes both events; comms tells the players
        drain_and_consume(settings, services=[])  # publishes what comms recorded while handling the practice
        with closing(duckdb.connect(str(tmp_path / "hub.duckdb"))) as warehouse:
            asyncio.run(_ingest(pipeline_env.nats_url, warehouse))
            landed = warehouse.execute("SELECT event_id, type, trace_id FROM raw.events").fetchall()
        spans = list(exporter.get_finished_spans())

    # request → publish → warehouse ingest, one trace: the caller's
    rpe = [s for s in spans if _hex_trace(s) == RPE_TRACE_ID]
    request = _only(rpe, kind=SpanKind.SERVER, name="POST /api/v1/training/rpe-logs")
    assert format(request.parent.span_id, "016x") == CALLER_SPAN_ID
    publish = _only(rpe, kind=SpanKind.PRODUCER, name="publish hub.training.session_rpe.logged", parent=request)
    ingest = _only(rpe, kind=SpanKind.CONSUMER, name="warehouse ingest", parent=publish)
    event_id = publish.attributes["messaging.message.id"]
    assert ingest.attributes["messaging.message.id"] == event_id
    # an analyst finds the trace from the raw row
    assert (event_id, "training.session_rpe.logged", RPE_TRACE_ID) in landed

    # request → publish → comms handles it and records a delivery → publish → warehouse ingest, one trace
    practice_spans = [s for s in spans if _hex_trace(s) == PRACTICE_TRACE_ID]
    request = _only(practice_spans, kind=SpanKind.SERVER, name="POST /api/v1/calendar/events")
    publish = _only(practice_spans, kind=SpanKind.PRODUCER, name="publish hub.calendar.event.created", parent=request)
    _only(practice_spans, kind=SpanKind.CONSUMER, name="warehouse ingest", parent=publish)
    handled = _only(practice_spans, kind=SpanKind.CONSUMER, name="comms handle calendar.event.created", parent=publish)
    delivered = [
        s for s in practice_spans if s.kind == SpanKind.PRODUCER and s.parent.span_id == handled.context.span_id
    ]
    assert delivered, "comms recorded no event within the trace"
    for span in delivered:
        _only(practice_spans, kind=SpanKind.CONSUMER, name="warehouse ingest", parent=span)
        event = (span.attributes["messaging.message.id"], "comms.notification.delivered", PRACTICE_TRACE_ID)
        assert event in landed
