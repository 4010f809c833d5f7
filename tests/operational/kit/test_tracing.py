"""Tracing is off unless an OTLP endpoint is set (no span, no traceparent kept); on, the outbox row keeps the request's
traceparent, spans go over OTLP/HTTP to the endpoint, and every service's outbox has the column after migrating."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fastapi import APIRouter
from fastapi.testclient import TestClient
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from sqlalchemy import MetaData, create_engine, inspect, select, text

from messaging import tracing
from messaging.outbox import make_outbox_table
from operational.kit.app import create_service_app
from operational.kit.config import HubSettings
from operational.kit.db import SessionDep, sqlalchemy_url
from operational.kit.migrations import upgrade_outbox
from operational.kit.service import Service
from operational.training.models import outbox
from tests.operational.kit.events import rpe_logged_event
from tests.traces import in_memory_traces

CALLER_TRACE_ID = "5b8aa5a2d2c872e8321cf37308d69df2"
CALLER = {"traceparent": f"00-{CALLER_TRACE_ID}-051581bf3cb55c13-01"}


def _recording_app(settings) -> TestClient:
    router = APIRouter()

    @router.post("/probe")
    async def probe(session: SessionDep) -> dict:
        event = rpe_logged_event(uuid.uuid4())
        await outbox.record(session, event)
        return {"event_id": str(event.event_id)}

    service = Service(name="probe", settings=HubSettings, routers=[router], outbox=outbox)
    return TestClient(create_service_app(settings, [service], title="probe"))


def _kept_traceparent(settings, event_id: str) -> str | None:
    engine = create_engine(sqlalchemy_url(settings.database_url))
    try:
        with engine.connect() as conn:
            table = outbox.table
            return conn.execute(select(table.c.traceparent).where(table.c.event_id == event_id)).scalar_one()
    finally:
        engine.dispose()


def test_without_an_endpoint_nothing_is_traced_and_the_outbox_keeps_no_traceparent(settings):
    assert settings.otlp_endpoint is None
    assert not tracing.configure_tracing(settings, "probe") and not tracing.enabled()
    with _recording_app(settings) as client:
        response = client.post("/probe", headers=CALLER)
    assert response.status_code == 200, response.text
    assert _kept_traceparent(settings, response.json()["event_id"]) is None


def test_the_outbox_row_keeps_the_traceparent_of_the_request_that_recorded_it(settings):
    with in_memory_traces() as exporter, _recording_app(settings) as client:
        response = client.post("/probe", headers=CALLER)
    assert response.status_code == 200, response.text
    (request,) = [span for span in exporter.get_finished_spans() if span.name == "POST /probe"]
    assert format(request.context.trace_id, "032x") == CALLER_TRACE_ID
    kept = _kept_traceparent(settings, response.json()["event_id"])
    assert kept == f"00-{CALLER_TRACE_ID}-{request.context.span_id:016x}-01"
    (recorded,) = request.events
    assert (recorded.name, recorded.attributes["event_id"]) == ("outbox record", response.json()["event_id"])


class _Collector(BaseHTTPRequestHandler):
    received: list[tuple[str, str, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 (the handler's name is http.server's)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, self.headers["Content-Type"], body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def _otlp_collector() -> Iterator[str]:
    """An OTLP/HTTP receiver on loopback that keeps what it is sent."""
    _Collector.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_with_an_endpoint_spans_are_exported_over_otlp_http(monkeypatch):
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    with _otlp_collector() as endpoint:
        assert tracing.configure_tracing(HubSettings(otlp_endpoint=endpoint, log_json=False), "hockey-hub-worker")
        try:
            headers: dict[str, str] = {}
            with tracing.publish_span("hub.training.session_rpe.logged", "e1", CALLER["traceparent"], headers):
                pass
            assert headers["traceparent"].startswith(f"00-{CALLER_TRACE_ID}-")
            assert tracing.provider().force_flush(10_000)
        finally:
            provider = tracing.provider()
            tracing.use_provider(None)
            provider.shutdown()
        ((path, content_type, body),) = _Collector.received
    assert (path, content_type) == ("/v1/traces", "application/x-protobuf")
    export = ExportTraceServiceRequest.FromString(body)
    (resource_spans,) = export.resource_spans
    service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}["service.name"]
    (span,) = [span for scope in resource_spans.scope_spans for span in scope.spans]
    assert (service, span.name, span.trace_id.hex()) == (
        "hockey-hub-worker",
        "publish hub.training.session_rpe.logged",
        CALLER_TRACE_ID,
    )


def test_an_outbox_made_before_the_traceparent_column_gets_it_when_its_service_migrates(settings):
    schema = f"old_{uuid.uuid4().hex[:10]}"
    engine = create_engine(sqlalchemy_url(settings.database_url))
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            make_outbox_table(MetaData(schema=schema)).create(conn)
            conn.execute(text(f'ALTER TABLE "{schema}".outbox DROP COLUMN traceparent'))
        with engine.begin() as conn:
            assert upgrade_outbox(conn, schema) == ["outbox.traceparent"]
            assert upgrade_outbox(conn, schema) == []  # up to date: nothing to alter
            assert upgrade_outbox(conn, f"{schema}_none") == []  # a service without an outbox
        columns = {c["name"] for c in inspect(engine).get_columns("outbox", schema=schema)}
        assert "traceparent" in columns
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        engine.dispose()


def test_every_services_outbox_has_the_traceparent_column(settings):
    engine = create_engine(sqlalchemy_url(settings.database_url))
    try:
        with engine.connect() as conn:
            outboxes = conn.execute(
                text(
                    "SELECT table_schema, bool_or(column_name = 'traceparent') FROM information_schema.columns "
                    "WHERE table_name = 'outbox' GROUP BY table_schema"
                )
            ).all()
    finally:
        engine.dispose()
    assert len(outboxes) >= 8 and all(has_it for _, has_it in outboxes), outboxes
