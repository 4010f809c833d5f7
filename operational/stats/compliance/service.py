"""Logging compliance: who on a team has not logged session RPE or wellness today, or in the last N days."""

from __future__ import annotations

from datetime import timedelta

from operational.kit.auth import Principal
from operational.stats import repository as stats_repository
from operational.stats.compliance import repository
from operational.stats.compliance.schemas import TeamComplianceRead
from operational.stats.policies import TeamRef
from warehouse.port import ServingCursor

WEEKS_SHOWN = 6


def _share(count: int, total: int) -> float | None:
    return round(count / total, 3) if total else None


def team_compliance(cursor: ServingCursor, principal: Principal, team: TeamRef, days: int) -> TeamComplianceRead:
    today = principal.today()
    window_from = today - timedelta(days=days - 1)
    players = []
    for row in repository.roster_logging(cursor, principal.org_id, team.team_id, window_from, today):
        last_rpe, last_wellness = row["last_rpe_date"], row["last_wellness_date"]
        players.append(
            {
                **row,
                "days_since_rpe": None if last_rpe is None else (today - last_rpe).days,
                "days_since_wellness": None if last_wellness is None else (today - last_wellness).days,
                "rpe_logged_today": last_rpe == today,
                "wellness_logged_today": last_wellness == today,
            }
        )
    total = len(players)
    return TeamComplianceRead(
        team_id=team.team_id,
        team_name=team.team_name,
        as_of=stats_repository.snapshot_published_at(cursor),
        today=today,
        window_days=days,
        window_from=window_from,
        players_on_roster=total,
        share_rpe_logged_today=_share(sum(p["rpe_logged_today"] for p in players), total),
        share_wellness_logged_today=_share(sum(p["wellness_logged_today"] for p in players), total),
        share_rpe_logged_in_window=_share(sum(p["rpe_days_in_window"] > 0 for p in players), total),
        share_wellness_logged_in_window=_share(sum(p["wellness_days_in_window"] > 0 for p in players), total),
        players=players,
        weeks=repository.weekly_compliance(cursor, principal.org_id, team.team_id, WEEKS_SHOWN),
    )
