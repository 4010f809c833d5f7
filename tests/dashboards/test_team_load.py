"""The Team load page as a coach sees it, rendered by Streamlit's AppTest against the real stats API and gateway."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.session import TOKEN_KEY
from hub.embedded import free_port
from operational.kit.auth import Principal
from tests.dashboards.helpers import ids_shown, open_dashboard, raw_empty_cells, texts
from tests.factories import token_for

TODAY = date.today()


def _numbers(values) -> list[float]:
    """Plotly sends numeric arrays as typed binary ({"dtype", "bdata"}) or as plain lists."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def chart_load_per_player(app: AppTest) -> dict[str, float]:
    charts = app.get("plotly_chart")
    assert len(charts) == 1
    figure = json.loads(charts[0].proto.spec)
    assert figure["layout"]["barmode"] == "stack"
    return {trace["name"]: sum(_numbers(trace["y"])) for trace in figure["data"] if trace["type"] == "bar"}


def test_coach_sees_daily_load_stacked_per_player_by_name(monkeypatch, stats_url, gateway_url, warehouse, club):
    org, team = club.org_id, club.team_id
    player, teammate = club["player"], club["teammate"]
    for days_ago in (1, 2, 3):
        warehouse.add_day(org, player.id, team, TODAY - timedelta(days=days_ago), minutes=60, rpe=5)
    warehouse.add_day(org, teammate.id, team, TODAY - timedelta(days=1), sessions=2, minutes=120, rpe=8)
    warehouse.add_day(org, club["other_player"].id, club.other_team_id, TODAY - timedelta(days=1))
    warehouse.publish()

    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url)

    assert not app.exception
    assert not app.error
    assert texts(app.title) == ["Team load"]
    assert app.selectbox(key="team").options == ["U16"]
    assert chart_load_per_player(app) == {"Player": 900, "Teammate": 960}
    assert app.dataframe[0].value.to_dict("records") == [
        {"Player": "Player", "Sessions": 3, "Minutes": 180, "sRPE load (AU)": 900},
        {"Player": "Teammate", "Sessions": 2, "Minutes": 120, "sRPE load (AU)": 960},
    ]
    assert ids_shown(app, [p.id for p in club.people.values()] + [club.team_id, club.other_team_id]) == []
    assert raw_empty_cells(app) == []


def test_a_shorter_period_shows_only_its_days(monkeypatch, stats_url, gateway_url, warehouse, club):
    org, team, player = club.org_id, club.team_id, club["player"]
    warehouse.add_day(org, player.id, team, TODAY - timedelta(days=1), minutes=60, rpe=5)
    warehouse.add_day(org, player.id, team, TODAY - timedelta(days=10), minutes=60, rpe=9)
    warehouse.publish()
    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url)

    app.date_input[0].set_value((TODAY - timedelta(days=3), TODAY)).run()

    assert chart_load_per_player(app) == {"Player": 300}


def test_the_default_period_ends_today_in_the_clubs_time_zone(monkeypatch, stats_url, stats_settings, warehouse,
                                                              stats_club):  # fmt: skip
    """Kiritimati is UTC+14: for most of the day its date is ahead of the server's and of a browser in Alaska."""
    kiritimati_today = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    player = stats_club["player"]
    warehouse.add_day(stats_club.org_id, player.id, stats_club.team_id, kiritimati_today, minutes=50, rpe=6)
    warehouse.publish()
    coach = Principal(
        user_id=stats_club["coach"].id, org_id=stats_club.org_id, roles=frozenset({"coach"}),
        team_ids=frozenset({stats_club.team_id}), time_zone="Pacific/Kiritimati",
    )  # fmt: skip

    app = open_dashboard(monkeypatch, stats_url, token_for(stats_settings, coach), timezone="America/Adak")

    assert app.date_input[0].value == (kiritimati_today - timedelta(days=27), kiritimati_today)
    assert sum(chart_load_per_player(app).values()) == 300


def test_a_period_without_sessions_says_so(monkeypatch, stats_url, warehouse, stats_club):
    warehouse.add_day(stats_club.org_id, stats_club["player"].id, stats_club.team_id, TODAY - timedelta(days=90))
    warehouse.publish()

    app = open_dashboard(monkeypatch, stats_url, stats_club["coach"].token)

    assert not app.exception
    assert "No sessions logged in this period." in texts(app.info)
    assert not app.get("plotly_chart")
    assert not app.dataframe


def test_before_the_first_pipeline_run_it_says_statistics_are_not_built(monkeypatch, stats_url, stats_club):
    app = open_dashboard(monkeypatch, stats_url, stats_club["coach"].token)

    assert not app.exception
    assert any(text.startswith("Statistics are not built yet") for text in texts(app.info))


def test_a_token_the_api_refuses_ends_the_session(monkeypatch, stats_url, stats_settings, stats_club):
    """The claims look fine to the dashboard, but the stats API verifies the signature and says no; there is no
    refresh token to renew the sign-in with."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from tests.operational.stats.test_access import signed_token

    forged = signed_token(stats_settings, stats_club["coach"].principal, key=Ed25519PrivateKey.generate())

    app = open_dashboard(monkeypatch, stats_url, forged)

    assert not app.exception
    assert texts(app.warning) == ["Your session has ended; log in again."]
    assert TOKEN_KEY not in app.session_state


def test_an_unreachable_stats_service_is_said_in_words(monkeypatch, stats_club):
    nowhere = f"http://127.0.0.1:{free_port()}"

    app = open_dashboard(monkeypatch, nowhere, stats_club["coach"].token)

    assert not app.exception
    assert texts(app.error) == ["The statistics service cannot be reached right now; try again in a moment."]


@pytest.mark.parametrize("token", [None, "expired"])
def test_without_a_usable_token_the_login_form_is_shown(monkeypatch, stats_url, stats_settings, stats_club, token):
    from tests.operational.stats.snapshots import person_with

    if token == "expired":
        token = person_with(stats_settings, stats_club.org_id, {"coach"}, {stats_club.team_id}, minutes=-1).token

    app = open_dashboard(monkeypatch, stats_url, token)

    assert not app.exception
    assert [t.label for t in app.text_input] == ["E-mail", "Password"]
    assert not app.get("plotly_chart")
    assert TOKEN_KEY not in app.session_state
