"""Great Expectations suite for ``raw.events``, validated in memory on a bounded frame of rows.

The rows come out of the warehouse as an Arrow table (the pipeline holds pyarrow for ingest anyway, and Polars would
add about 50 MiB to its idle memory for this one hand-over); Great Expectations validates in-memory frames through its
pandas data source only, so the table becomes a pandas frame at that boundary, in the check's own process.

This module runs in the check's own process (pipelines/expectations_process.py), which the pipeline starts on first
use and ends after a quiet spell; the ephemeral context lives as long as that process: building it is cheap,
importing Great Expectations is not (seconds), so it happens once per process, on its first check or warm-up.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from contracts.registry import REGISTRY

if TYPE_CHECKING:  # the check's own process imports this module, and needs no warehouse drivers
    import pyarrow as pa

    from warehouse.port import WarehouseSession

# A pass normally validates only the rows it loaded; when it loaded none, the newest rows stand in, up to this many.
RECENT_ROWS_LIMIT = 10_000

_lock = threading.Lock()


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str
    success: bool
    unexpected_count: int


@dataclass(frozen=True)
class ValidationSummary:
    success: bool
    rows_checked: int
    outcomes: list[ExpectationOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]


def raw_events_frame(warehouse: WarehouseSession, *, load_id: str) -> tuple[pa.Table, str]:
    """The rows a load inserted, or the newest rows when it inserted none; and which of the two it is."""
    columns = "event_id, type, occurred_at"
    frame = warehouse.frame(f"SELECT {columns} FROM raw.events WHERE load_id = ?", [load_id])
    if len(frame):
        return frame, "rows loaded by this run"
    frame = warehouse.frame(f"SELECT {columns} FROM raw.events ORDER BY loaded_at DESC LIMIT {RECENT_ROWS_LIMIT}")
    return frame, f"newest {RECENT_ROWS_LIMIT} rows"


def validate_raw_events(frame: pa.Table) -> ValidationSummary:
    with _lock:
        result = _raw_events_validation().run(batch_parameters={"dataframe": frame.to_pandas()})
    outcomes = [
        ExpectationOutcome(
            expectation=r.expectation_config.type,
            column=r.expectation_config.kwargs.get("column", ""),
            success=bool(r.success),
            unexpected_count=int(r.result.get("unexpected_count") or 0),
        )
        for r in result.results
    ]
    return ValidationSummary(success=bool(result.success), rows_checked=len(frame), outcomes=outcomes)


@cache
def _raw_events_validation() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    context = gx.get_context(
        project_config=DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
        ),
        mode="ephemeral",
    )
    batch = (
        context.data_sources.add_pandas("warehouse")
        .add_dataframe_asset("raw_events")
        .add_batch_definition_whole_dataframe("bounded_frame")
    )
    suite = context.suites.add(gx.ExpectationSuite(name="raw_events"))
    suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column="event_id"))
    suite.add_expectation(gx.expectations.ExpectColumnValuesToBeUnique(column="event_id"))
    suite.add_expectation(gx.expectations.ExpectColumnValuesToBeInSet(column="type", value_set=sorted(REGISTRY)))
    suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column="occurred_at"))
    return context.validation_definitions.add(gx.ValidationDefinition(name="raw_events", data=batch, suite=suite))


def warm_up() -> None:
    """Import Great Expectations and build the suite now rather than during the first check."""
    _raw_events_validation()
