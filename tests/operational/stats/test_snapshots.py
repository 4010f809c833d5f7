"""Serving snapshots: before the first one, and while the pipeline publishes new ones under a running API."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.operational.stats.snapshots import club_today as today
from tests.operational.stats.urls import player_url, team_url

YESTERDAY = today() - timedelta(days=1)


def test_before_the_first_pipeline_run_statistics_are_not_ready(stats, stats_club):
    player = stats_club["player"]

    for url in (player_url(player), team_url(stats_club.team_id)):
        response = stats.get(url, headers=player.headers)
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["code"] == "statistics_not_ready"
        assert "after the first pipeline run" in error["message"]
    ready = stats.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["snapshot"].startswith("unavailable")
    assert stats.get("/healthz").status_code == 200


def test_the_first_snapshot_is_served_without_a_restart(stats, warehouse, stats_club):
    player = stats_club["player"]
    assert stats.get(player_url(player), headers=player.headers).status_code == 503

    warehouse.add_day(stats_club.org_id, player.id, stats_club.team_id, YESTERDAY)
    warehouse.publish()

    assert stats.get("/readyz").json() == {"status": "ready", "checks": {"snapshot": "ok"}}
    assert len(stats.get(player_url(player), headers=player.headers).json()["days"]) == 1


def test_a_new_snapshot_is_seen_by_the_next_request(stats, warehouse, stats_club):
    """The pipeline's connection stays open read-write on the warehouse file the whole time: DuckDB would refuse
    it (or the API) if the API opened that file, so this also shows the API never touches the writer's file."""
    coach, player = stats_club["coach"], stats_club["player"]
    warehouse.add_day(stats_club.org_id, player.id, stats_club.team_id, YESTERDAY, minutes=60, rpe=5)
    warehouse.publish()
    first = stats.get(team_url(stats_club.team_id), headers=coach.headers).json()
    assert [r["session_rpe_load_au"] for r in first["player_days"]] == [300]

    warehouse.conn.execute("UPDATE marts.fct_player_daily_load SET session_rpe_load_au = 480")
    warehouse.add_day(stats_club.org_id, player.id, stats_club.team_id, today(), minutes=30, rpe=4)
    warehouse.publish()
    second = stats.get(team_url(stats_club.team_id), headers=coach.headers).json()

    assert [r["session_rpe_load_au"] for r in second["player_days"]] == [480, 120]
    assert datetime.fromisoformat(second["as_of"]) > datetime.fromisoformat(first["as_of"])


def test_many_swaps_while_serving_never_fail_a_request(stats, warehouse, stats_club):
    """More swaps than snapshots are kept: old files are deleted while the API may still hold them open."""
    player = stats_club["player"]
    for day_number in range(6):
        warehouse.add_day(stats_club.org_id, player.id, stats_club.team_id, today() - timedelta(days=day_number))
        warehouse.publish()
        response = stats.get(player_url(player), headers=player.headers)
        assert response.status_code == 200, response.text
        assert len(response.json()["days"]) == day_number + 1
