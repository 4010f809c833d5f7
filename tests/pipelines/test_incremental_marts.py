"""The incremental player-day marts: a build after new events equals a full refresh, table by table, row by row.

A generated season (corrections that move logs to another day, deletions, wellness, team memberships) arrives in
three loads; the last one also brings logs for days weeks back (late events), a correction and a deletion of days
already built, and a withdrawal of the club's latest day. After each incremental build the marts are compared with
a ``--full-refresh`` build of the same warehouse, on DuckDB and on Postgres; so is the first build of a mart made
before it was incremental.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from contracts.training import SessionRpeDeleted, SessionRpeDeletedEvent, WellnessDeleted, WellnessDeletedEvent
from pipelines.dbt_build import invoke_dbt
from tests.pipelines.season import SEASON_DAYS, SEASON_START, generate_season
from tests.pipelines.test_dbt_build import postgres_warehouse  # noqa: F401 (a fixture)
from tests.warehouse.events import session_rpe_logged
from warehouse.duckdb_warehouse import DuckDBWarehouse
from warehouse.postgres_warehouse import PostgresWarehouse

MARTS = {"fct_player_daily_load": "session_date", "fct_player_load_metrics": "metric_date"}
# The views upstream are made once; the builds after that run the two marts alone.
UPSTREAM = ["run", "--select", "+fct_player_load_metrics"]
MARTS_ONLY = ["run", "--select", *MARTS]


@pytest.fixture(params=["duckdb", "postgres"])
def warehouse(request: pytest.FixtureRequest, tmp_path, monkeypatch: pytest.MonkeyPatch):
    if request.param == "duckdb":
        warehouse = DuckDBWarehouse(tmp_path / "hub.duckdb", tmp_path / "serving")
    else:
        warehouse = PostgresWarehouse(request.getfixturevalue("postgres_warehouse"))
    for name, value in warehouse.dbt_environment().items():
        monkeypatch.setenv(name, value)
    with warehouse.session() as session:
        session.ensure_raw_schema()
    return warehouse


def _build(*args: str) -> None:
    outcome = invoke_dbt([*MARTS_ONLY, *args])
    assert outcome.success, outcome.exception or outcome.failed_nodes


def _marts(warehouse) -> dict[str, list[tuple]]:
    """Every row of the marts but the build stamp, ordered."""
    with warehouse.session() as session:
        tables = {}
        for mart, day in MARTS.items():
            columns = [
                name
                for (name,) in session.fetchall(
                    "SELECT column_name FROM information_schema.columns "
                    f"WHERE table_schema = 'marts' AND table_name = '{mart}' ORDER BY ordinal_position"
                )
                if name != "events_loaded_through"
            ]
            tables[mart] = session.fetchall(f"SELECT {', '.join(columns)} FROM marts.{mart} ORDER BY player_id, {day}")
        return tables


def _stamps(warehouse, mart: str) -> int:
    with warehouse.session() as session:
        return session.fetchall(f"SELECT count(DISTINCT events_loaded_through) FROM marts.{mart}")[0][0]


def _withdrawal_of_the_last_day(events) -> list:
    """Deletions of every log and questionnaire dated on the season's last day: the club's series end a day
    earlier."""
    last_day = SEASON_START + timedelta(days=SEASON_DAYS - 1)
    at = datetime.now(UTC) + timedelta(days=1)
    withdrawals = []
    for e in events:
        if e.type == "training.session_rpe.logged" and e.data.session_date == last_day:
            data = SessionRpeDeleted(log_id=e.data.log_id, player_id=e.data.player_id, session_date=last_day,
                                     deleted_at=at)  # fmt: skip
            withdrawals.append(_deletion(SessionRpeDeletedEvent, e, e.data.log_id, data, at))
        if e.type == "training.wellness.submitted" and e.data.wellness_date == last_day:
            data = WellnessDeleted(wellness_id=e.data.wellness_id, player_id=e.data.player_id,
                                   wellness_date=last_day, deleted_at=at)  # fmt: skip
            withdrawals.append(_deletion(WellnessDeletedEvent, e, e.data.wellness_id, data, at))
    return withdrawals


def _deletion(event_type, deleted, subject: uuid.UUID, data, at: datetime):
    return event_type(
        event_id=uuid.uuid4(),
        occurred_at=at,
        org_id=deleted.org_id,
        actor_id=data.player_id,
        subject_id=subject,
        data=data,
    )


def test_an_incremental_build_equals_a_full_refresh(warehouse):
    season = generate_season(seed=20260117)
    events = sorted(season.events, key=lambda e: e.occurred_at)
    early = [e for e in events if e.occurred_at.date() < SEASON_START + timedelta(days=60)]
    middle = [e for e in events if e not in early and e.occurred_at.date() < SEASON_START + timedelta(days=99)]
    rest = [e for e in events if e not in early and e not in middle]
    # late events: logs for days long built, arriving with the last load
    late_logs = [e for e in early if e.type == "training.session_rpe.logged"][5:40:7]
    early = [e for e in early if e not in late_logs]
    some_player = late_logs[0].data.player_id
    late_logs.append(
        session_rpe_logged(
            org_id=season.org_id,
            player_id=some_player,
            session_date=SEASON_START + timedelta(days=3),
            rpe=9,
            duration_minutes=95,
            logged_at=datetime.now(UTC),
        )  # fmt: skip
    )
    with warehouse.session() as session:
        session.load_events(early, load_id="early")
    outcome = invoke_dbt(UPSTREAM)
    assert outcome.success, outcome.exception or outcome.failed_nodes
    first_built = _marts(warehouse)
    assert len(first_built["fct_player_load_metrics"]) > 150

    for load_id, batch in (("middle", middle), ("rest", rest + late_logs + _withdrawal_of_the_last_day(events))):
        with warehouse.session() as session:
            session.load_events(batch, load_id=load_id)
        _build()
        incremental = _marts(warehouse)
        # rows before the earliest day the load touched kept the stamp of the build that wrote them
        assert all(_stamps(warehouse, mart) > 1 for mart in MARTS)
        _build("--full-refresh")
        full = _marts(warehouse)
        for mart in MARTS:
            assert len(incremental[mart]) == len(full[mart]), mart
            for got, want in zip(incremental[mart], full[mart], strict=True):
                assert got == want, mart
    assert incremental != first_built

    # a warehouse whose mart was built before it was incremental: the first build adds the stamp and rebuilds it all
    with warehouse.session() as session:
        session.conn.execute("ALTER TABLE marts.fct_player_daily_load DROP COLUMN events_loaded_through")
    _build()
    assert _marts(warehouse) == full
    assert _stamps(warehouse, "fct_player_daily_load") == 1
