"""Spans as a test sees them: ``in_memory_traces`` turns tracing on (messaging/tracing.py) with the OpenTelemetry SDK's
in-memory exporter for the length of a ``with`` block, and off again after it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from messaging import tracing


@contextlib.contextmanager
def in_memory_traces() -> Iterator[InMemorySpanExporter]:
    """Every span ended inside the block, in ``exporter.get_finished_spans()``; apps built inside it are traced."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.use_provider(provider)
    try:
        yield exporter
    finally:
        tracing.use_provider(None)
        provider.shutdown()
