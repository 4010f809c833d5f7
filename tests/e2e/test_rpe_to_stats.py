"""The whole pipe, end to end: a player logs session RPE through the gateway and the coach sees the load in the stats
API and on the Team load page — real Postgres, relay, NATS, Dagster + dbt, stats API and Streamlit, each started the
way `hub up` starts it (in threads here), waiting on conditions with a bound. It runs on both warehouses: the DuckDB
file with its serving snapshots, and Postgres (HUB_WAREHOUSE_URL) with its serving schema."""

from __future__ import annotations

import logging
import threading
import time
from datetime import date, timedelta

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.session import TOKEN_KEY
from operational.gateway import create_app as create_gateway
from operational.stats.app import create_app as create_stats
from operational.stats.config import StatsSettings
from pipelines.config import PipelineSettings
from pipelines.runner import run_forever
from tests.dashboards.helpers import APP
from tests.dashboards.test_team_load import chart_load_per_player
from tests.factories import PASSWORD, make_club
from tests.messaging import relaying
from tests.servers import served

pytestmark = pytest.mark.e2e


def _wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what} within {timeout:.0f}s")


@pytest.fixture(params=["duckdb", "postgres"])
def warehouse_url(request) -> str | None:
    """None for the DuckDB file (the default), or the URL of a fresh Postgres warehouse on the session's server."""
    if request.param == "duckdb":
        return None
    return request.getfixturevalue("postgres_warehouse_url")


@pytest.fixture
def system(settings, pipeline_env, warehouse_url, caplog):
    """Gateway (with its outbox relays), pipeline runner and stats API, all on the test session's Postgres and NATS."""
    stats_settings = StatsSettings(
        jwt_public_key_path=settings.jwt_public_key_path,
        serving_dir=pipeline_env.serving_dir,
        warehouse_url=warehouse_url,
        nats_url=settings.nats_url,
        log_json=False,
    )
    pipeline_settings = PipelineSettings(
        nats_url=pipeline_env.nats_url,
        warehouse_path=pipeline_env.warehouse_path,
        serving_dir=pipeline_env.serving_dir,
        warehouse_url=warehouse_url,
        dagster_home_dir=pipeline_env.dagster_home,
        poll_seconds=0.2,
    )
    caplog.set_level(logging.INFO, logger="pipelines.runner")
    stop = threading.Event()
    runner = threading.Thread(target=run_forever, args=(stop, pipeline_settings), daemon=True)
    runner.start()
    try:
        with (
            relaying(settings),
            served(create_gateway(settings)) as gateway_url,
            served(create_stats(stats_settings)) as stats_url,
        ):
            _wait_for(
                lambda: (
                    any(r.getMessage() == "pipeline runner started" for r in caplog.records) or not runner.is_alive()
                ),
                timeout=180,
                what="the pipeline runner did not start",
            )
            assert runner.is_alive(), "the pipeline runner died while starting"
            yield gateway_url, stats_url
    finally:
        stop.set()
        runner.join(timeout=60)


def test_logged_rpe_reaches_the_stats_api_and_the_team_load_page(system, settings, monkeypatch):
    gateway_url, stats_url = system
    club = make_club(settings)
    player, coach = club["player"], club["coach"]
    session_day = date.today() - timedelta(days=1)

    week_start = session_day - timedelta(days=session_day.weekday())

    with httpx.Client(base_url=gateway_url, timeout=10) as gateway:
        _plan_three_weeks(gateway, coach, club.team_id, week_start)
        # a practice on the calendar with the coach's intended RPE: 6 × 60 = 360 AU planned that day
        practice = {"kind": "practice", "title": "Ice practice", "team_id": str(club.team_id), "duration_minutes": 60,
                    "starts_at": f"{session_day.isoformat()}T10:00:00+00:00", "planned_rpe": 6}  # fmt: skip
        scheduled = gateway.post("/api/v1/calendar/events", json=practice, headers=coach.headers)
        assert scheduled.status_code == 201, scheduled.text
        login = gateway.post("/api/v1/auth/login", json={"email": player.email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        player_auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        for rpe, minutes in ((7, 60), (5, 30)):  # two sessions on one day: 420 + 150 AU
            logged = gateway.post(
                "/api/v1/training/rpe-logs",
                json={"session_date": session_day.isoformat(), "rpe": rpe, "duration_minutes": minutes},
                headers=player_auth,
            )
            assert logged.status_code == 201, logged.text
        posted_at = time.monotonic()

    url = f"/api/v1/stats/players/{player.id}/daily-load"
    with httpx.Client(base_url=stats_url, timeout=10) as stats:

        def day_in_stats():
            response = stats.get(url, headers=coach.headers)
            days = response.json().get("days", []) if response.status_code == 200 else []
            return next((d for d in days if d["session_date"] == session_day.isoformat()), None)

        day = _wait_for(day_in_stats, timeout=60, what="the logged sessions did not reach the stats API")
        freshness = time.monotonic() - posted_at
        assert (day["session_count"], day["total_duration_minutes"], day["session_rpe_load_au"]) == (2, 90, 570)
        # the player sees their own load; a coach of another team of the club may not (403: the player exists)
        assert stats.get(url, headers=player.headers).status_code == 200
        assert stats.get(url, headers=club["other_coach"].headers).status_code == 403
        # names travel with the figures
        assert stats.get(url, headers=coach.headers).json()["player_name"] == "Player"
    print(f"POST → visible in the stats API: {freshness:.2f}s")

    monkeypatch.setenv("HUB_STATS_URL", stats_url)
    monkeypatch.setenv("HUB_GATEWAY_URL", gateway_url)
    page = AppTest.from_file(str(APP), default_timeout=30)
    page.session_state[TOKEN_KEY] = coach.token
    page.run()
    assert not page.exception
    assert chart_load_per_player(page) == {"Player": 570.0}  # the player's name, from the club API

    _season_plan_shows_planned_vs_actual_and_the_form_ahead(stats_url, coach, club.team_id, week_start)
    season_page = page.switch_page("views/season_plan.py").run()
    assert not season_page.exception and not season_page.error
    assert len(season_page.get("plotly_chart")) == 2  # planned vs actual, and the form curve running ahead


def _plan_three_weeks(gateway: httpx.Client, coach, team_id, week_start: date) -> None:
    """The coach plans the week of the session (600 AU) and the two after it (1400 AU each) through the API."""
    plan = {"team_id": str(team_id), "name": "Season", "starts_on": week_start.isoformat(),
            "ends_on": (week_start + timedelta(days=20)).isoformat()}  # fmt: skip
    created = gateway.post("/api/v1/planning/plans", json=plan, headers=coach.headers)
    assert created.status_code == 201, created.text
    mix = {"low_pct": 40, "moderate_pct": 40, "high_pct": 20}
    for week, load in ((0, 600), (1, 1400), (2, 1400)):
        monday = (week_start + timedelta(weeks=week)).isoformat()
        body = {"planned_sessions": 3, "planned_load_au": load, "intensity_mix": mix}
        planned = gateway.put(f"/api/v1/planning/plans/{created.json()['id']}/weeks/{monday}", json=body,
                              headers=coach.headers)  # fmt: skip
        assert planned.status_code == 200, planned.text


def _season_plan_shows_planned_vs_actual_and_the_form_ahead(stats_url, coach, team_id, week_start: date) -> None:
    period = {"from": week_start.isoformat(), "to": (week_start + timedelta(days=20)).isoformat()}
    with httpx.Client(base_url=stats_url, timeout=10, headers=coach.headers) as stats:

        def planned_week_with_actual():
            response = stats.get(f"/api/v1/stats/teams/{team_id}/season-plan", params=period)
            plan = response.json() if response.status_code == 200 else {}
            week = next((w for w in plan.get("weeks", []) if w["mean_actual_load_au"] is not None), None)
            return (week, plan) if week is not None and week["scheduled_sessions"] == 1 else None

        week, plan = _wait_for(planned_week_with_actual, timeout=60, what="the season plan did not reach the stats API")
        assert (week["planned_load_au"], week["mean_actual_load_au"], week["actual_to_planned_load_ratio"]) == (
            600, 570.0, 0.95
        )  # fmt: skip
        # the practice is the week's one scheduled session: the first session logged that day matched it, the
        # second matched none and was added
        assert (week["scheduled_load_au"], week["sessions_added"]) == (360, 1)
        player_week = next(p["weeks"][0] for p in plan["players"] if p["player_name"] == "Player")
        assert (player_week["scheduled_sessions"], player_week["sessions_missed"], player_week["sessions_added"]) == (
            1, 0, 1
        )  # fmt: skip
        # the coach intended 6 and the player felt 7: one moderate pair
        effort = stats.get(f"/api/v1/stats/teams/{team_id}/effort").json()["items"]
        moderate = next(item for item in effort if item["session_type"] == "moderate")
        assert (moderate["pairs"], moderate["mean_intended_rpe"], moderate["mean_perceived_rpe"]) == (1, 6.0, 7.0)
        form = stats.get(f"/api/v1/stats/teams/{team_id}/form", params=period).json()["days"]
        assert any(day["is_projected"] for day in form) and not form[0]["is_projected"]
