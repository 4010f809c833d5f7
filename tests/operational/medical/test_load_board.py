"""Availability set by the medical service reaches the coach's load board in the stats API, through the real path:
outbox → NATS → ingest → dbt → serving snapshot; nothing clinical on the way."""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg
from fastapi.testclient import TestClient

from operational.stats.app import create_app as create_stats_app
from operational.stats.config import StatsSettings
from pipelines.definitions import defs
from tests.messaging import drain_and_consume
from tests.operational.medical.helpers import BASE, problem_body


def test_the_load_board_shows_what_medical_staff_decided(pipeline_env, club, settings, gateway_without_relay, key_dir):  # noqa: F811
    api = gateway_without_relay
    drain_and_consume(settings, services=["medical", "training"])
    for days_ago, rpe in ((3, 6), (2, 5), (1, 7)):
        day = (date.today() - timedelta(days=days_ago)).isoformat()
        body = {"session_date": day, "rpe": rpe, "duration_minutes": 60}
        assert api.post("/api/v1/training/rpe-logs", json=body, headers=club["player"].headers).status_code == 201
    secret = "Planted-diagnosis-for-the-load-board"
    problem = problem_body(club["player"], partial_return_date=(date.today() - timedelta(days=1)).isoformat(),
                           restrictions=["no_contact"], diagnosis=secret, notes=secret)  # fmt: skip
    assert api.post(f"{BASE}/problems", json=problem, headers=club["medic"].headers).status_code == 201

    drain_and_consume(settings, services=[])  # every outbox onto the (purged) stream
    result = defs().resolve_job_def("warehouse_job").execute_in_process(instance=dg.DagsterInstance.ephemeral())
    assert result.success

    stats_settings = StatsSettings(
        var_dir=pipeline_env.dagster_home.parent / "var", serving_dir=pipeline_env.serving_dir, log_json=False,
        nats_url=pipeline_env.nats_url, jwt_private_key_path=key_dir / "jwt_private.pem",
        jwt_public_key_path=key_dir / "jwt_public.pem",
    )  # fmt: skip
    with TestClient(create_stats_app(stats_settings)) as stats:
        board = stats.get(f"/api/v1/stats/teams/{club.team_id}/load-board", headers=club["coach"].headers)

    assert board.status_code == 200, board.text
    assert secret not in board.text
    (row,) = [p for p in board.json()["players"] if p["player_id"] == str(club["player"].id)]
    assert row["availability"]["status"] == "limited"
    assert row["availability"]["restrictions"] == ["no_contact"]
