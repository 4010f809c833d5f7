"""OpenTelemetry traces that follow one write from the HTTP request to the warehouse.

The API's request span starts the trace (or continues the caller's, from its ``traceparent`` header). The outbox
row of every event the request records keeps the request's W3C ``traceparent`` (column ``outbox.traceparent``); the
relay publishes each row in a span of its own, a child of that context, and puts the span's ``traceparent`` in the
NATS message headers; every consumer (the services' read models, the warehouse ingest) handles a message in a span
that is a child of the publish span, so one trace shows request → publish → each consumer, and events a consumer
records carry its context onwards. The warehouse keeps the trace id in ``raw.events.trace_id``.

Tracing is on only when an OTLP endpoint is configured (``HUB_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_ENDPOINT``):
spans are batched and exported over OTLP/HTTP (protobuf) to ``<endpoint>/v1/traces``; the SDK's own ``OTEL_*``
variables (``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_EXPORTER_OTLP_HEADERS`` …) apply, and
``OTEL_SDK_DISABLED=true`` turns it off. Without an endpoint there is no provider and no exporter: no span is made,
the outbox keeps no ``traceparent``, and each helper here costs one check of a module variable.

The provider is this module's (never the process-wide global), so a test installs an in-memory one with
:func:`use_provider` and removes it afterwards.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

    from shared_settings import SharedSettings

TRACEPARENT_HEADER = "traceparent"
TRACER_NAME = "hockey_hub"

_PROPAGATOR = TraceContextTextMapPropagator()
_provider: TracerProvider | None = None
_tracer: trace.Tracer | None = None


def configure_tracing(settings: SharedSettings, service_name: str) -> bool:
    """Turn tracing on for this process when ``settings.otlp_endpoint`` is set; return whether it is on.

    ``service_name`` names the process in the traces (``OTEL_SERVICE_NAME`` wins). Calling it again changes nothing.
    """
    if _provider is not None:
        return True
    if not settings.otlp_endpoint or os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    # imported here: a process without tracing never loads the SDK or the exporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({SERVICE_NAME: os.environ.get("OTEL_SERVICE_NAME") or service_name})
    provider = TracerProvider(resource=resource)  # flushes its batch at exit
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=traces_url(settings.otlp_endpoint))))
    use_provider(provider)
    return True


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL for a base endpoint, as the OTLP exporter specification builds it."""
    return endpoint.rstrip("/") + "/v1/traces"


def use_provider(provider: TracerProvider | None) -> None:
    """Trace with ``provider`` from now on (None: tracing off). Apps built while it is off stay untraced."""
    global _provider, _tracer
    _provider = provider
    _tracer = None if provider is None else provider.get_tracer(TRACER_NAME)


def enabled() -> bool:
    return _provider is not None


def provider() -> TracerProvider | None:
    return _provider


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the span in progress (what an outbox row keeps), or None without one."""
    if _provider is None:
        return None
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get(TRACEPARENT_HEADER)


def note_event(name: str, attributes: Mapping[str, Any]) -> None:
    """Add an event (a point in time with attributes) to the span in progress, if one is recording."""
    if _provider is not None and (span := trace.get_current_span()).is_recording():
        span.add_event(name, dict(attributes))


# what the helpers below return while tracing is off: entering and leaving it costs two trivial calls
_OFF = contextlib.nullcontext()


def publish_span(
    subject: str, event_id: str, traceparent: str | None, headers: MutableMapping[str, str]
) -> contextlib.AbstractContextManager[None]:
    """Around publishing one event: a producer span, child of the ``traceparent`` the outbox row kept (a new trace
    without one), whose context goes into ``headers``. Tracing off, a kept ``traceparent`` is passed on as it is."""
    if _tracer is None:
        if traceparent:
            headers[TRACEPARENT_HEADER] = traceparent
        return _OFF
    return _publish_span(_tracer, subject, event_id, traceparent, headers)


@contextlib.contextmanager
def _publish_span(
    tracer: trace.Tracer, subject: str, event_id: str, traceparent: str | None, headers: MutableMapping[str, str]
) -> Iterator[None]:
    span = tracer.start_span(
        f"publish {subject}",
        context=_parent(traceparent),
        kind=SpanKind.PRODUCER,
        attributes={
            "messaging.system": "nats",
            "messaging.operation.type": "send",
            "messaging.destination.name": subject,
            "messaging.message.id": event_id,
        },
    )
    # never made current (nothing runs inside it but the publish), which spares attaching a context per event
    try:
        _PROPAGATOR.inject(headers, context=trace.set_span_in_context(span))
        yield
    except BaseException as exc:
        _record_failure(span, exc)
        raise
    finally:
        span.end()


def message_span(
    name: str, headers: Mapping[str, str] | None, attributes: Mapping[str, Any]
) -> contextlib.AbstractContextManager[Any]:
    """Around handling one message: a consumer span, child of the context in its ``headers``, current while the
    handler runs (so events it records continue the trace)."""
    if _tracer is None:
        return _OFF
    return _tracer.start_as_current_span(
        name, context=_parent_of(headers), kind=SpanKind.CONSUMER, attributes=dict(attributes)
    )


def batch_spans(
    name: str, messages: Sequence[tuple[str | None, Mapping[str, Any]]], attributes: Mapping[str, Any]
) -> contextlib.AbstractContextManager[None]:
    """Around handling a batch at once (one warehouse insert): one consumer span per message, each a child of the
    message's ``traceparent`` and all timing the whole batch; a failure is recorded on each.

    ``messages``: (the message's traceparent header or None, attributes of its span) per message."""
    if _tracer is None:
        return _OFF
    return _batch_spans(_tracer, name, messages, attributes)


@contextlib.contextmanager
def _batch_spans(
    tracer: trace.Tracer,
    name: str,
    messages: Sequence[tuple[str | None, Mapping[str, Any]]],
    attributes: Mapping[str, Any],
) -> Iterator[None]:
    spans = [
        tracer.start_span(
            name, context=_parent(traceparent), kind=SpanKind.CONSUMER, attributes={**attributes, **own_attributes}
        )
        for traceparent, own_attributes in messages
    ]
    try:
        yield
    except BaseException as exc:
        for span in spans:
            _record_failure(span, exc)
        raise
    finally:
        for span in spans:
            span.end()


def _record_failure(span: trace.Span, exc: BaseException) -> None:
    span.record_exception(exc)
    span.set_status(Status(StatusCode.ERROR, repr(exc)[:200]))


def trace_id_of(traceparent: str | None) -> str | None:
    """The trace id (32 hex digits) in a W3C ``traceparent``, or None when there is none or it is malformed."""
    context = trace.get_current_span(_parent(traceparent)).get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


def _parent_of(headers: Mapping[str, str] | None) -> Context:
    return _parent(headers.get(TRACEPARENT_HEADER) if headers else None)


def _parent(traceparent: str | None) -> Context:
    return _PROPAGATOR.extract({TRACEPARENT_HEADER: traceparent} if traceparent else {}, context=Context())
