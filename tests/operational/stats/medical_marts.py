"""Rows of the medical marts (health problems, exposure, incidence, weekly availability), made by hand in the
dbt-built warehouse of snapshots.py."""

from __future__ import annotations

import uuid
from datetime import date

from tests.operational.stats.snapshots import Warehouse

HEALTH_PROBLEMS = "marts.fct_health_problems"
EXPOSURE = "marts.fct_player_exposure_daily"
INCIDENCE = "marts.fct_injury_incidence"
WEEKLY_AVAILABILITY = "marts.fct_team_availability_weekly"


class MedicalWarehouse:
    def __init__(self, warehouse: Warehouse):
        self.warehouse = warehouse

    def add_problem(self, org_id, player_id, team_id, *, season: int, onset: date, days: int | None,
                    group: str = "TM", body_area: str = "Thigh", kind: str = "injury") -> None:  # fmt: skip
        self.warehouse.insert(
            HEALTH_PROBLEMS, problem_id=uuid.uuid4(), org_id=org_id, player_id=player_id, team_id=team_id,
            problem_kind=kind, osiics_group=group, body_area=body_area, onset_activity="practice",
            is_time_loss=True, onset_date=onset, season_start_year=season, is_open=days is None,
            severity_days=days, is_recurrence=False,
        )  # fmt: skip

    def add_exposure(self, org_id, player_id, team_id, day: date, *, season: int, hours: float,
                     game_hours: float = 0.0) -> None:  # fmt: skip
        self.warehouse.insert(
            EXPOSURE, player_team_day_id=f"{player_id}|{team_id}|{day}", org_id=org_id, player_id=player_id,
            team_id=team_id, exposure_date=day, season_start_year=season, practice_hours=hours - game_hours,
            game_hours=game_hours, exposure_hours=hours, exposure_source="calendar",
        )  # fmt: skip

    def add_incidence(self, org_id, team_id, *, season: int, breakdown: str, value: str, problems: int,
                      closed_days: list[int], hours: float, kind: str = "injury") -> None:  # fmt: skip
        """A row as the mart computes it from ``problems`` (of which those in ``closed_days`` are closed)."""
        incidence = 1000.0 * problems / hours
        mean = sum(closed_days) / len(closed_days) if closed_days else None
        self.warehouse.insert(
            INCIDENCE, incidence_id=f"{team_id}|{season}|{kind}|{breakdown}|{value}", org_id=org_id, team_id=team_id,
            season_start_year=season, problem_kind=kind, breakdown=breakdown, breakdown_value=value,
            problems_count=problems, time_loss_problems_count=problems,
            open_problems_count=problems - len(closed_days), closed_problems_count=len(closed_days),
            severity_0_7_days_count=sum(d <= 7 for d in closed_days),
            severity_8_28_days_count=sum(7 < d <= 28 for d in closed_days),
            severity_over_28_days_count=sum(d > 28 for d in closed_days), days_lost=sum(closed_days),
            exposure_hours=hours, practice_exposure_hours=hours, game_exposure_hours=0.0,
            incidence_per_1000h=round(incidence, 3), mean_severity_days=None if mean is None else round(mean, 2),
            burden_days_per_1000h=None if mean is None else round(incidence * mean, 3),
        )  # fmt: skip

    def add_availability_week(self, org_id, team_id, week_start: date, *, days: int, available: int,
                              limited: int) -> None:  # fmt: skip
        self.warehouse.insert(
            WEEKLY_AVAILABILITY, team_week_id=f"{team_id}|{week_start}", org_id=org_id, team_id=team_id,
            week_start=week_start, player_days=days, available_player_days=available, limited_player_days=limited,
            unavailable_player_days=days - available - limited, availability_pct=round(100 * available / days, 3),
            participation_pct=round(100 * (available + limited) / days, 3),
        )  # fmt: skip
