"""The load-metrics, wellness, test-result and availability marts, made by hand in a real DuckDB warehouse with
the columns the dbt models publish (dbt/models/marts/statistics/*.yml)."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

from tests.operational.stats.snapshots import DAILY_LOAD, Warehouse
from warehouse.serving import publish_snapshot

LOAD_METRICS = "marts.fct_player_load_metrics"
WELLNESS = "marts.fct_player_wellness_daily"
TEST_RESULTS = "marts.fct_player_test_results"
AVAILABILITY = "marts.dim_player_availability"

DDL = f"""
CREATE TABLE IF NOT EXISTS {LOAD_METRICS} (
    player_day_id VARCHAR NOT NULL, org_id VARCHAR NOT NULL, player_id VARCHAR NOT NULL, team_id VARCHAR,
    metric_date DATE NOT NULL, session_rpe_load_au BIGINT, day_has_data BOOLEAN, history_days INTEGER,
    days_with_data_last_28 INTEGER, acute_load_au BIGINT, chronic_load_coupled_weekly_au DOUBLE,
    chronic_load_uncoupled_weekly_au DOUBLE, ewma_acute_load_au DOUBLE, ewma_chronic_load_au DOUBLE,
    acwr_withheld_reason VARCHAR, acwr_coupled_rolling DOUBLE, acwr_coupled_rolling_band VARCHAR,
    acwr_uncoupled_rolling DOUBLE, acwr_uncoupled_rolling_band VARCHAR, acwr_ewma DOUBLE, acwr_ewma_band VARCHAR,
    training_monotony DOUBLE, training_strain_au DOUBLE
);
CREATE TABLE IF NOT EXISTS {WELLNESS} (
    player_day_instrument_id VARCHAR NOT NULL, org_id VARCHAR NOT NULL, player_id VARCHAR NOT NULL,
    team_id VARCHAR, wellness_date DATE NOT NULL, instrument VARCHAR NOT NULL, total_score INTEGER,
    sleep_hours DOUBLE, baseline_observations INTEGER, baseline_mean_score DOUBLE, baseline_sd_score DOUBLE,
    wellness_z_score DOUBLE, below_baseline_flag BOOLEAN, z_score_withheld_reason VARCHAR
);
CREATE TABLE IF NOT EXISTS {TEST_RESULTS} (
    result_id VARCHAR NOT NULL, org_id VARCHAR NOT NULL, player_id VARCHAR NOT NULL, team_id VARCHAR,
    test_id VARCHAR NOT NULL, test_name VARCHAR, unit VARCHAR, direction VARCHAR, result_value DOUBLE,
    tested_on DATE, is_latest_for_player BOOLEAN, team_players_tested INTEGER, team_percentile_rank DOUBLE
);
CREATE TABLE IF NOT EXISTS {AVAILABILITY} (
    player_id VARCHAR NOT NULL, org_id VARCHAR NOT NULL, availability_status VARCHAR, restrictions_json VARCHAR,
    effective_from DATE, expected_until DATE, note_for_staff VARCHAR, changed_at TIMESTAMPTZ
);
"""


class StatisticsWarehouse:
    def __init__(self, warehouse: Warehouse):
        self.warehouse = warehouse
        self.conn = warehouse.conn
        self.conn.execute(DDL)

    def add_metrics_day(self, org_id, player_id, team_id, day: date, *, acwr: float | None = 1.1,
                        band: str | None = "sweet spot", reason: str | None = None, acute: int = 2000,
                        monotony: float | None = 1.5) -> None:  # fmt: skip
        self.conn.execute(
            f"INSERT INTO {LOAD_METRICS} VALUES (?, ?, ?, ?, ?, 300, true, 40, 25, ?, 1800.0, 1700.0, 280.0, "
            "260.0, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [f"{player_id}|{day}", str(org_id), str(player_id), str(team_id), day, acute, reason,
             acwr, band, acwr, band, acwr, band, monotony, None if monotony is None else acute * monotony],
        )  # fmt: skip

    def add_wellness(self, org_id, player_id, team_id, day: date, *, z: float | None, instrument="hooper") -> None:
        self.conn.execute(
            f"INSERT INTO {WELLNESS} VALUES (?, ?, ?, ?, ?, ?, 12, 7.5, 10, 11.0, 1.0, ?, ?, ?)",
            [f"{player_id}|{day}|{instrument}", str(org_id), str(player_id), str(team_id), day, instrument, z,
             None if z is None else z < -1, "under_7_baseline_observations" if z is None else None],
        )  # fmt: skip

    def add_test_result(self, org_id, player_id, team_id, day: date, value: float, rank: float | None) -> str:
        result_id = str(uuid.uuid4())
        self.conn.execute(
            f"INSERT INTO {TEST_RESULTS} VALUES (?, ?, ?, ?, ?, '30 m sprint', 's', 'lower_is_better', ?, ?, true, "
            "3, ?)",
            [result_id, str(org_id), str(player_id), str(team_id), str(uuid.UUID(int=7)), value, day, rank],
        )
        return result_id

    def set_availability(self, org_id, player_id, status: str, restrictions: list[str], day: date) -> None:
        self.conn.execute(
            f"INSERT INTO {AVAILABILITY} VALUES (?, ?, ?, ?, ?, NULL, NULL, now())",
            [str(player_id), str(org_id), status, json.dumps(restrictions), day],
        )

    def publish(self) -> Path:
        return publish_snapshot(
            self.conn, self.warehouse.serving_dir, [DAILY_LOAD, LOAD_METRICS, WELLNESS, TEST_RESULTS, AVAILABILITY]
        )
