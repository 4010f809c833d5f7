"""Correlation ids, Prometheus metrics (recorded by the request layer, operational/kit/request_layer.py) and
OpenTelemetry request spans as pure ASGI middleware (no per-request task overhead)."""

from __future__ import annotations

import re

from opentelemetry import trace
from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from messaging import tracing

CORRELATION_HEADER = b"x-correlation-id"
_VALID_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

REQUESTS = Counter("hub_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "hub_http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


def valid_correlation_id(incoming: str) -> str | None:
    """``incoming`` if it can serve as a correlation id (1 to 128 of letters, digits and ``._:-``), else None: the
    request layer (operational/kit/request_layer.py) then makes one, exposes it to logs and events and echoes it."""
    return incoming if _VALID_CORRELATION_ID.match(incoming) else None


# probes and scrapes would drown the requests that matter
UNTRACED_PATHS = "/healthz$,/readyz$,/metrics$"


class TracingMiddleware:
    """A server span per request (OpenTelemetry's ASGI middleware, with the provider of messaging/tracing.py), the
    parent of whatever the request does: an incoming W3C ``traceparent`` header continues the caller's trace. The span
    is named after the route template (``POST /api/v1/training/rpe-logs``), never the raw path, whose ids would make
    every name unique. Added only while tracing is on (see ``base_app``)."""

    def __init__(self, app: ASGIApp):
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware  # only where tracing is on

        self.app = OpenTelemetryMiddleware(
            _NameSpanAfterRoute(app),
            excluded_urls=UNTRACED_PATHS,
            default_span_details=_method_only,
            tracer_provider=tracing.provider(),
            exclude_spans=["receive", "send"],
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def _method_only(scope: Scope) -> tuple[str, dict]:
    return (scope.get("method") or scope["type"].upper()), {}


class _NameSpanAfterRoute:
    """Renames the request's span once routing has matched (the span ends with the response, so before it starts)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        span = trace.get_current_span()
        if not span.is_recording():
            await self.app(scope, receive, send)
            return

        async def send_naming_span(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.accept", "websocket.close"):
                _name_after_route(span, scope)
            await send(message)

        try:
            await self.app(scope, receive, send_naming_span)
        finally:
            _name_after_route(span, scope)  # a request that ends without a response


def _name_after_route(span: trace.Span, scope: Scope) -> None:
    template = getattr(scope.get("route"), "path", None)
    if template and span.is_recording():
        span.update_name(f"{scope.get('method') or scope['type'].upper()} {template}")
        span.set_attribute("http.route", template)
