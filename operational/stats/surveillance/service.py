"""Injury surveillance of a team's season (IOC 2020 consensus, Bahr et al., BJSM 54:372) and its time to return to
play. The marts give the figures per group; this adds the burden's bootstrap interval and the Kaplan-Meier curves,
and merges small groups for everyone but medical staff: "1 concussion" beside a player known to be out would name
their diagnosis."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from operational.kit.auth import Principal
from operational.stats import policies
from operational.stats import repository as stats_repository
from operational.stats.policies import TeamRef
from operational.stats.surveillance import repository
from operational.stats.surveillance.estimators import (
    PlayerExposure,
    bootstrap_burden_interval,
    kaplan_meier_return_to_play,
)
from operational.stats.surveillance.schemas import GroupBy, TeamReturnToPlayRead, TeamSurveillanceRead
from warehouse.port import ServingCursor

SEASON_START_MONTH = 8  # as the dbt var season_start_month
# Groups of fewer problems are merged into "Other" for those who are not medical staff.
MIN_GROUP_PROBLEMS = 3
OTHER_GROUP = "Other"
KINDS = ("injury", "illness")
BREAKDOWNS = {"body_area": "by_body_area", "osiics_group": "by_osiics_group"}


def season_of(day: date) -> int:
    return day.year if day.month >= SEASON_START_MONTH else day.year - 1


def _round(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _burden_interval(problems: list[dict[str, Any]], hours_by_player: dict[str, float]) -> tuple[float | None, ...]:
    """Every player with exposure or a problem is one cluster of the bootstrap."""
    days: dict[str, list[int | None]] = defaultdict(list)
    for problem in problems:
        days[problem["player_id"]].append(problem["severity_days"])
    players = [
        PlayerExposure(hours_by_player.get(player, 0.0), days.get(player, []))
        for player in sorted(set(hours_by_player) | set(days))
    ]
    interval = bootstrap_burden_interval(players)
    return (None, None) if interval is None else (round(interval.low, 3), round(interval.high, 3))


def _row_from_mart(row: dict[str, Any], problems: list[dict], hours_by_player: dict[str, float]) -> dict[str, Any]:
    low, high = _burden_interval(problems, hours_by_player)
    return {
        "group": row["breakdown_value"],
        "problems": row["problems_count"],
        "time_loss_problems": row["time_loss_problems_count"],
        "open_problems": row["open_problems_count"],
        "incidence_per_1000h": row["incidence_per_1000h"],
        "game_incidence_per_1000h": row["game_incidence_per_1000h"],
        "practice_incidence_per_1000h": row["practice_incidence_per_1000h"],
        "mean_severity_days": row["mean_severity_days"],
        "burden_days_per_1000h": row["burden_days_per_1000h"],
        "burden_ci_low": low,
        "burden_ci_high": high,
        "severity_0_7_days": row["severity_0_7_days_count"],
        "severity_8_28_days": row["severity_8_28_days_count"],
        "severity_over_28_days": row["severity_over_28_days_count"],
    }


def _per_1000h(count: int, hours: float) -> float | None:
    return round(1000.0 * count / hours, 3) if hours > 0 else None


def _merged_row(problems: list[dict[str, Any]], exposure: dict[str, Any]) -> dict[str, Any]:
    """The figures of several small groups together, with the marts' definitions and rounding."""
    hours_by_player = exposure["by_player"]
    hours = sum(hours_by_player.values())
    closed = [p["severity_days"] for p in problems if p["severity_days"] is not None]
    incidence = 1000.0 * len(problems) / hours if hours > 0 else None
    mean_severity = sum(closed) / len(closed) if closed else None
    burden = incidence * mean_severity if incidence is not None and mean_severity is not None else None
    low, high = _burden_interval(problems, hours_by_player)
    return {
        "group": OTHER_GROUP,
        "problems": len(problems),
        "time_loss_problems": sum(p["is_time_loss"] for p in problems),
        "open_problems": sum(p["is_open"] for p in problems),
        "incidence_per_1000h": _round(incidence, 3),
        "game_incidence_per_1000h": _per_1000h(
            sum(p["onset_activity"] == "game" for p in problems), exposure["game_hours"]
        ),
        "practice_incidence_per_1000h": _per_1000h(
            sum(p["onset_activity"] == "practice" for p in problems), exposure["practice_hours"]
        ),
        "mean_severity_days": _round(mean_severity, 2),
        "burden_days_per_1000h": _round(burden, 3),
        "burden_ci_low": low,
        "burden_ci_high": high,
        "severity_0_7_days": sum(d <= 7 for d in closed),
        "severity_8_28_days": sum(7 < d <= 28 for d in closed),
        "severity_over_28_days": sum(d > 28 for d in closed),
    }


def _breakdown(
    rows: Iterable[dict[str, Any]],
    problems: list[dict[str, Any]],
    column: str,
    exposure: dict[str, Any],
    merge_small: bool,
) -> list[dict[str, Any]]:
    hours_by_player = exposure["by_player"]
    shown, small = [], []
    for row in rows:  # most problems first
        members = [p for p in problems if p[column] == row["breakdown_value"]]
        if merge_small and row["problems_count"] < MIN_GROUP_PROBLEMS:
            small.extend(members)
        else:
            shown.append(_row_from_mart(row, members, hours_by_player))
    if small:
        shown.append(_merged_row(small, exposure))
    return shown


def _team_surveillance(
    cursor: ServingCursor, principal: Principal, team: TeamRef, season: int | None
) -> TeamSurveillanceRead:
    season = season if season is not None else season_of(principal.today())
    rows = repository.incidence_rows(cursor, principal.org_id, team.team_id, season)
    exposure = repository.team_season_exposure(cursor, principal.org_id, team.team_id, season)
    problems = repository.team_problems(cursor, principal.org_id, team.team_id, season)
    merge_small = not policies.sees_small_health_groups(principal)
    kinds = []
    for kind in KINDS:
        of_kind = [r for r in rows if r["problem_kind"] == kind]
        total = next((r for r in of_kind if r["breakdown"] == "all"), None)
        if total is None:
            continue
        kind_problems = [p for p in problems if p["problem_kind"] == kind]
        entry: dict[str, Any] = {"kind": kind, "total": _row_from_mart(total, kind_problems, exposure["by_player"])}
        for breakdown, field in BREAKDOWNS.items():
            group_rows = [r for r in of_kind if r["breakdown"] == breakdown]
            entry[field] = _breakdown(group_rows, kind_problems, breakdown, exposure, merge_small)
        kinds.append(entry)
    return TeamSurveillanceRead(
        team_id=team.team_id,
        team_name=team.team_name,
        season=season,
        seasons=repository.seasons(cursor, principal.org_id, team.team_id),
        as_of=stats_repository.snapshot_published_at(cursor),
        exposure_hours=round(sum(exposure["by_player"].values()), 2),
        practice_hours=round(exposure["practice_hours"], 2),
        game_hours=round(exposure["game_hours"], 2),
        kinds=kinds,
    )


def _team_return_to_play(
    cursor: ServingCursor, principal: Principal, team: TeamRef, group_by: GroupBy, season: int | None
) -> TeamReturnToPlayRead:
    """Kaplan-Meier per group over the team's time-loss problems: a closed problem returned after its severity
    days; an open one is censored at the days since its onset, today."""
    today = principal.today()
    problems = [
        p for p in repository.team_problems(cursor, principal.org_id, team.team_id, season) if p["is_time_loss"]
    ]
    by_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for problem in problems:
        by_group[problem[group_by]].append(problem)
    if not policies.sees_small_health_groups(principal):
        small = [group for group, members in by_group.items() if len(members) < MIN_GROUP_PROBLEMS]
        merged = [problem for group in small for problem in by_group.pop(group)]
        if len(merged) >= MIN_GROUP_PROBLEMS:  # even merged, fewer would be left out
            by_group[OTHER_GROUP] = merged
    groups = []
    for group, members in sorted(by_group.items(), key=lambda item: (-len(item[1]), item[0] == OTHER_GROUP, item[0])):
        days_out = [
            p["severity_days"] if p["severity_days"] is not None else max((today - p["onset_date"]).days, 0)
            for p in members
        ]
        curve = kaplan_meier_return_to_play(days_out, [not p["is_open"] for p in members])
        groups.append({"group": group, **curve.__dict__})
    return TeamReturnToPlayRead(
        team_id=team.team_id,
        team_name=team.team_name,
        today=today,
        as_of=stats_repository.snapshot_published_at(cursor),
        group_by=group_by,
        season=season,
        groups=groups,
    )


def team_surveillance(
    cursor: ServingCursor, principal: Principal, team: TeamRef, season: int | None
) -> TeamSurveillanceRead:
    with stats_repository.built_marts():
        return _team_surveillance(cursor, principal, team, season)


def team_return_to_play(
    cursor: ServingCursor, principal: Principal, team: TeamRef, group_by: GroupBy, season: int | None
) -> TeamReturnToPlayRead:
    with stats_repository.built_marts():
        return _team_return_to_play(cursor, principal, team, group_by, season)
