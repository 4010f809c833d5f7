"""Rows of the load-metrics, wellness, test-result, availability and attendance marts, made by hand in the dbt-built
warehouse of snapshots.py."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from pathlib import Path

from tests.operational.stats.snapshots import Warehouse

LOAD_METRICS = "marts.fct_player_load_metrics"
WELLNESS = "marts.fct_player_wellness_daily"
TEST_RESULTS = "marts.fct_player_test_results"
AVAILABILITY = "marts.dim_player_availability"
WEEKLY_ATTENDANCE = "marts.fct_weekly_attendance"


class StatisticsWarehouse:
    def __init__(self, warehouse: Warehouse):
        self.warehouse = warehouse
        self.conn = warehouse.conn

    def add_metrics_day(self, org_id, player_id, team_id, day: date, *, acwr: float | None = 1.1,
                        band: str | None = "sweet spot", reason: str | None = None, acute: int = 2000,
                        monotony: float | None = 1.5, has_data: bool = True, days_with_data_last_7: int = 6,
                        days_with_data_last_28: int = 25, check_entry_reason: str | None = None,
                        load: int = 300) -> None:  # fmt: skip
        """A day of metrics whose every variant has the same ratio; chronic loads follow from acute ÷ ratio."""
        chronic = round(acute / acwr, 2) if acwr else 1800.0
        self.warehouse.insert(
            LOAD_METRICS, player_day_id=f"{player_id}|{day}", org_id=org_id, player_id=player_id, team_id=team_id,
            metric_date=day, session_rpe_load_au=load, day_has_data=has_data, history_days=40,
            days_with_data_last_7=days_with_data_last_7, days_with_data_last_28=days_with_data_last_28,
            acute_load_au=acute, chronic_load_coupled_weekly_au=chronic, chronic_load_uncoupled_weekly_au=chronic,
            ewma_acute_load_au=round(acute / 7, 2), ewma_chronic_load_au=round(chronic / 7, 2),
            acwr_withheld_reason=reason, acwr_coupled_rolling=acwr, acwr_coupled_rolling_band=band,
            acwr_uncoupled_rolling=acwr, acwr_uncoupled_rolling_band=band, acwr_ewma=acwr, acwr_ewma_band=band,
            training_monotony=monotony, training_strain_au=None if monotony is None else acute * monotony,
            check_entry_reason=check_entry_reason,
            highest_load_previous_28_days_au=None if check_entry_reason is None else 400,
        )  # fmt: skip

    def add_wellness(self, org_id, player_id, team_id, day: date, *, z: float | None, instrument="hooper") -> None:
        self.warehouse.insert(
            WELLNESS, player_day_instrument_id=f"{player_id}|{day}|{instrument}", org_id=org_id,
            player_id=player_id, team_id=team_id, wellness_date=day, instrument=instrument, total_score=12,
            sleep_hours=7.5, baseline_observations=14, baseline_mean_score=11.0, baseline_sd_score=1.0,
            wellness_z_score=z, below_baseline_flag=None if z is None else z < -1,
            z_score_withheld_reason="under_7_baseline_observations" if z is None else None,
        )  # fmt: skip

    def add_test_result(self, org_id, player_id, team_id, day: date, value: float, rank: float | None) -> str:
        result_id = str(uuid.uuid4())
        self.warehouse.insert(
            TEST_RESULTS, result_id=result_id, org_id=org_id, player_id=player_id, team_id=team_id,
            test_id=uuid.UUID(int=7), test_name="30 m sprint", unit="s", direction="lower_is_better",
            result_value=value, tested_on=day, is_latest_for_player=True, team_players_tested=3,
            team_percentile_rank=rank,
        )  # fmt: skip
        return result_id

    def set_availability(self, org_id, player_id, status: str, restrictions: list[str], day: date) -> None:
        self.warehouse.insert(
            AVAILABILITY, player_id=player_id, org_id=org_id, availability_status=status,
            restrictions_json=json.dumps(restrictions), effective_from=day,
        )  # fmt: skip

    def add_attendance_week(self, org_id, player_id, team_id, week_start: date, *, recorded: int, attended: int,
                            excused: int = 0) -> None:  # fmt: skip
        assert week_start.weekday() == 0, "weeks start on Monday"
        counted = recorded - excused
        self.warehouse.insert(
            WEEKLY_ATTENDANCE, player_team_week_id=f"{player_id}|{team_id}|{week_start}", org_id=org_id,
            player_id=player_id, team_id=team_id, week_start=week_start, events_recorded=recorded,
            events_attended=attended, events_excused=excused,
            attendance_rate=attended / counted if counted else None,
        )  # fmt: skip

    def publish(self) -> Path:
        return self.warehouse.publish()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
