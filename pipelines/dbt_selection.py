"""What a pipeline pass builds: the dbt nodes downstream of the event types loaded since the last successful build.

A pass's cost is per dbt node, not per event (about a second per mart table whatever its size), so a pass builds and
tests only the models whose inputs changed:

- every model downstream of a staging model whose event type was loaded since the last successful build
  (``stg_<type>+``): a model that reads several types is rebuilt when any of them changed, since it is downstream of
  each; the models it reads that are not selected are current already (nothing they read has changed);
- every model downstream of one that reads the clock (``current_date`` and the like, in its SQL or in a macro it
  calls) when the warehouse's date has changed since the last successful build: those depend on the date only;
- everything when there is no record of a successful build, the project (its models, macros, tests, vars) changed
  since, or a table of the project is missing from the warehouse (a warehouse dropped and built again).

Which types were loaded is read from ``raw.events`` itself (``loaded_at`` after the last successful build's), and the
record of that build (``pipeline.dbt_build_state``, one row per lane: pipelines/lanes.py) is written only when a build
succeeded: a pass that failed or crashed leaves the record as it was, so the next pass builds what it did not, and
more. A fast-lane pass builds only the fast lane's marts and moves only the fast lane's record; the full lane's plan
still starts from its own. This relies on
what the incremental marts rely on as well (dbt/macros/incremental.sql): nothing loads into ``raw.events`` while dbt
builds, so no load falls between a build's reads.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pipelines.lanes import FAST, FULL, fast_lane_models, reached_models
from warehouse.port import WarehouseSession

STATE_TABLE = "pipeline.dbt_build_state"
# One row per lane: the full lane's is row 1, as when there was one lane.
LANE_ROWS = {FULL: 1, FAST: 2}
_STATE_DDL = (
    "CREATE SCHEMA IF NOT EXISTS pipeline",
    f"""CREATE TABLE IF NOT EXISTS {STATE_TABLE} (
        id INTEGER PRIMARY KEY,
        project_fingerprint VARCHAR NOT NULL,
        events_loaded_through TIMESTAMPTZ,
        clock_date DATE NOT NULL,
        built_at TIMESTAMPTZ NOT NULL,
        snapshot_owed BOOLEAN NOT NULL
    )""",
    # Since when the full lane has been behind the fast lane (null: it is not); a record made before there were
    # lanes gets the column here.
    f"ALTER TABLE {STATE_TABLE} ADD COLUMN IF NOT EXISTS lagging_since TIMESTAMPTZ",
    # The marts built since the serving copy was last published, comma-separated ('*': every mart, null: unknown).
    f"ALTER TABLE {STATE_TABLE} ADD COLUMN IF NOT EXISTS unpublished_marts VARCHAR",
)
# What a model's SQL (or a macro it calls) reads the clock with, on DuckDB and Postgres.
_CLOCK = re.compile(r"\b(current_date|current_timestamp|localtimestamp|now\s*\(|run_started_at)", re.IGNORECASE)
# The event types a staging model reads: `where type = '<type>'` or `where type in ('<type>', …)`.
_TYPE_EQUALS = re.compile(r"\btype\s*=\s*'([^']+)'", re.IGNORECASE)
_TYPE_IN = re.compile(r"\btype\s+in\s*\(([^)]*)\)", re.IGNORECASE)
_SOURCE_CALL = re.compile(r"\{\{\s*source\s*\(")


@dataclass(frozen=True)
class BuildState:
    """The record of the last successful pipeline build."""

    project_fingerprint: str
    events_loaded_through: datetime | None
    clock_date: date
    snapshot_owed: bool
    lagging_since: datetime | None = None


@dataclass(frozen=True)
class PassPlan:
    """What one pass builds. ``select`` is None for everything, else dbt selectors (``[]``: nothing to build).
    ``events_loaded_through`` and ``clock_date`` are what the pass covers, recorded when its build succeeds."""

    select: list[str] | None
    reason: str
    event_types: list[str]
    events_loaded_through: datetime | None
    clock_date: date
    project_fingerprint: str
    snapshot_owed: bool = False
    lane: str = FULL
    # Models the pass leaves out although its events reach them: for the full lane, the fast lane's models when the
    # fast lane is current; for the fast lane, the deferred marts (reported as such, built by a later pass).
    excluded: tuple[str, ...] = ()

    @property
    def builds_nothing(self) -> bool:
        return self.select == []


def ensure_state_table(session: WarehouseSession) -> None:
    for statement in _STATE_DDL:
        session.execute(statement)


def read_state(session: WarehouseSession, lane: str = FULL) -> BuildState | None:
    ensure_state_table(session)
    rows = session.fetchall(
        "SELECT project_fingerprint, events_loaded_through, clock_date, snapshot_owed, lagging_since "
        f"FROM {STATE_TABLE} WHERE id = ?",
        [LANE_ROWS[lane]],
    )
    return BuildState(*rows[0]) if rows else None


def record_build(session: WarehouseSession, plan: PassPlan, built: Collection[str] | None = None) -> None:
    """Record that ``plan``'s build succeeded: the events it covered and the date it built for; a snapshot is owed,
    of ``built`` ("marts.<name>"; None: every mart) and what earlier builds left unpublished. After a full-lane
    build the next snapshot copies every mart: a mart changed outside the pipeline's passes (a ``dbt build`` by
    hand) reaches the serving copy at least that often.

    A full-lane build covers the fast lane too (both records move, the full lane no longer lags); a fast-lane build
    moves the fast lane's record only, and the full lane lags from then on until its own build."""
    ensure_state_table(session)
    unpublished = marts_to_publish(session)
    everything = plan.lane == FULL or plan.select is None or built is None or unpublished is None
    marts = "*" if everything else ",".join(sorted(set(unpublished or ()) | set(built or ())))
    lanes = [FULL, FAST] if plan.lane == FULL else [FAST]
    for lane in lanes:
        session.execute(
            f"INSERT INTO {STATE_TABLE} (id, project_fingerprint, events_loaded_through, clock_date, built_at, "
            "snapshot_owed, lagging_since) VALUES (?, ?, ?, ?, now(), true, NULL) ON CONFLICT (id) DO UPDATE SET "
            "project_fingerprint = excluded.project_fingerprint, "
            "events_loaded_through = excluded.events_loaded_through, clock_date = excluded.clock_date, "
            "built_at = excluded.built_at, snapshot_owed = true, lagging_since = NULL",
            [LANE_ROWS[lane], plan.project_fingerprint, plan.events_loaded_through, plan.clock_date],
        )
    if plan.lane == FAST:
        # the full lane lags when the fast pass deferred marts (the marts of every type loaded since the full lane's
        # own build, so earlier deferrals count too)
        lagging = "coalesce(lagging_since, now())" if plan.excluded else "lagging_since"
        session.execute(
            f"UPDATE {STATE_TABLE} SET snapshot_owed = true, lagging_since = {lagging} WHERE id = ?",
            [LANE_ROWS[FULL]],
        )
    session.execute(f"UPDATE {STATE_TABLE} SET unpublished_marts = ? WHERE id = ?", [marts, LANE_ROWS[FULL]])


def record_unknown_build(session: WarehouseSession) -> None:
    """A build the records do not follow (a subset picked by hand) changed marts: the next snapshot copies all."""
    ensure_state_table(session)
    session.execute(f"UPDATE {STATE_TABLE} SET unpublished_marts = '*'")


def marts_to_publish(session: WarehouseSession) -> set[str] | None:
    """The marts built since the serving copy was last published ("marts.<name>"), or None when that is unknown or
    every mart (the next serving copy copies them all)."""
    ensure_state_table(session)
    rows = session.fetchall(f"SELECT unpublished_marts FROM {STATE_TABLE} WHERE id = ?", [LANE_ROWS[FULL]])
    if not rows or rows[0][0] is None or rows[0][0] == "*":
        return None
    return {name for name in rows[0][0].split(",") if name}


def full_lane_lagging(session: WarehouseSession) -> bool:
    """Whether marts were deferred by a fast-lane pass and are not built yet."""
    state = read_state(session, FULL)
    return state is not None and state.lagging_since is not None


def record_snapshot_published(session: WarehouseSession) -> None:
    """The serving copy now holds every mart the last build made (a pass with nothing to build owes none)."""
    ensure_state_table(session)
    session.execute(f"UPDATE {STATE_TABLE} SET snapshot_owed = false, unpublished_marts = ''")


def plan_pass(
    session: WarehouseSession,
    manifest: Any,
    project_fingerprint: str,
    *,
    lane: str = FULL,
    max_deferral_seconds: float = 60.0,
) -> PassPlan:
    """What the next pass builds, from each lane's record of its last successful build and what ``raw.events`` holds
    now. ``lane`` is the lane asked for: a fast-lane pass builds the full lane instead when there is no fast-lane
    work, when everything must be built, or when the full lane has lagged more than ``max_deferral_seconds``."""
    full = _full_lane_plan(session, manifest, project_fingerprint)
    if full.select is None:
        return full
    fast_state = read_state(session, FAST) or read_state(session, FULL)
    assert fast_state is not None  # a full plan that is not "build everything" has a record
    fast_current = fast_state.events_loaded_through == full.events_loaded_through and (
        fast_state.clock_date == full.clock_date
    )
    fast_models = fast_lane_models(manifest)
    tables = {n.name for n in _models(manifest) if n.config.materialized != "view"}
    if fast_current:  # what the fast lane built since the full lane's record need not be built again
        full = dataclasses.replace(full, excluded=tuple(sorted(fast_models & reached_models(manifest, full.select))))
    if lane != FAST:
        return full
    lagging_since = read_state(session, FULL).lagging_since  # type: ignore[union-attr]
    if lagging_since is not None:
        lagged = (datetime.now(UTC) - lagging_since).total_seconds()
        if lagged >= max_deferral_seconds:
            return dataclasses.replace(full, reason=f"{full.reason}; the deferred marts waited {lagged:.0f} s")
    types = _types_loaded_since(session, fast_state.events_loaded_through)
    clock_moved = fast_state.clock_date != full.clock_date
    reached = reached_models(manifest, pass_selectors(manifest, types, clock_moved=clock_moved))
    selected = sorted(reached & fast_models)
    if not selected:
        return dataclasses.replace(full, reason=f"{full.reason}; nothing for the fast lane")
    deferred = sorted(name for name in reached_models(manifest, full.select) - fast_models if name in tables)
    return PassPlan(
        select=selected,
        reason=f"fast lane: {len(types)} event type(s) loaded" + (", the date changed" if clock_moved else ""),
        event_types=types,
        events_loaded_through=full.events_loaded_through,
        clock_date=full.clock_date,
        project_fingerprint=project_fingerprint,
        snapshot_owed=full.snapshot_owed,
        lane=FAST,
        excluded=tuple(deferred),
    )


def _types_loaded_since(session: WarehouseSession, through: datetime | None) -> list[str]:
    if through is None:
        return sorted(t for (t,) in session.fetchall("SELECT DISTINCT type FROM raw.events"))
    return sorted(t for (t,) in session.fetchall("SELECT DISTINCT type FROM raw.events WHERE loaded_at > ?", [through]))


def _full_lane_plan(session: WarehouseSession, manifest: Any, project_fingerprint: str) -> PassPlan:
    """The full lane's plan: every model the events loaded since its own last build reach."""
    state = read_state(session, FULL)
    ((through, today),) = session.fetchall("SELECT max(loaded_at), current_date FROM raw.events")
    plan = {"events_loaded_through": through, "clock_date": today, "project_fingerprint": project_fingerprint}
    if state is None:
        return PassPlan(select=None, reason="no successful build recorded", event_types=[], **plan)
    if state.project_fingerprint != project_fingerprint:
        return PassPlan(select=None, reason="the dbt project changed", event_types=[], **plan)
    missing = _missing_tables(session, manifest)
    if missing:
        return PassPlan(
            select=None, reason=f"{len(missing)} table(s) missing, {missing[0]} first", event_types=[], **plan
        )
    event_types = _types_loaded_since(session, state.events_loaded_through)
    clock_moved = state.clock_date != today
    select = pass_selectors(manifest, event_types, clock_moved=clock_moved)
    reasons = [f"{len(event_types)} event type(s) loaded"] + (["the date changed"] if clock_moved else [])
    return PassPlan(
        select=select, reason=", ".join(reasons), event_types=event_types, snapshot_owed=state.snapshot_owed, **plan
    )


def pass_selectors(manifest: Any, event_types: list[str], *, clock_moved: bool) -> list[str]:
    """dbt selectors (``<model>+``) of the models reading ``event_types`` and, when ``clock_moved``, of those reading
    the clock; sorted, ``[]`` when none."""
    wanted = set(event_types)
    roots = set()
    for node in _models(manifest):
        reads = event_types_read(node)
        if reads is not None and wanted and (not reads or wanted & reads):
            roots.add(node.name)
    if clock_moved:
        roots |= set(clock_models(manifest))
    return sorted(f"{name}+" for name in roots)


def event_types_read(node: Any) -> frozenset[str] | None:
    """The event types a model reads from ``raw.events`` in its SQL (empty: every type, it does not filter on type),
    or None when its SQL reads no source (a model downstream of staging, or one naming raw.events only in a
    hook, as the incremental marts do for their watermark)."""
    if not _SOURCE_CALL.search(node.raw_code):
        return None
    types = set(_TYPE_EQUALS.findall(node.raw_code))
    for listed in _TYPE_IN.findall(node.raw_code):
        types |= set(re.findall(r"'([^']+)'", listed))
    return frozenset(types)


def clock_models(manifest: Any) -> list[str]:
    """The models whose SQL, or a macro they call (directly or through other macros), reads the clock."""

    def macro_reads_clock(unique_id: str, seen: set[str]) -> bool:
        macro = manifest.macros.get(unique_id)
        if macro is None or unique_id in seen:
            return False
        seen.add(unique_id)
        return bool(_CLOCK.search(macro.macro_sql)) or any(macro_reads_clock(m, seen) for m in macro.depends_on.macros)

    return sorted(
        node.name
        for node in _models(manifest)
        if _CLOCK.search(node.raw_code) or any(macro_reads_clock(m, set()) for m in node.depends_on.macros)
    )


def _models(manifest: Any) -> list[Any]:
    return [node for node in manifest.nodes.values() if node.resource_type == "model"]


def _missing_tables(session: WarehouseSession, manifest: Any) -> list[str]:
    """The project's table and incremental models (all in ``marts``) the warehouse does not have."""
    present = set(session.mart_tables())
    return sorted(
        f"{node.schema}.{node.alias}"
        for node in _models(manifest)
        if node.config.materialized in ("table", "incremental") and f"{node.schema}.{node.alias}" not in present
    )
