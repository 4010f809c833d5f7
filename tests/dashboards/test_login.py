"""Logging in to the dashboards through the real gateway, and logging out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from dashboards.session import TOKEN_KEY
from operational.gateway import create_app
from tests.dashboards.conftest import served
from tests.dashboards.test_team_load import APP, texts
from tests.factories import PASSWORD, make_club


@pytest.fixture
def gateway_url(settings) -> Iterator[str]:
    with served(create_app(settings)) as url:
        yield url


@pytest.fixture
def login_page(monkeypatch, gateway_url, stats_url) -> AppTest:
    monkeypatch.setenv("HUB_GATEWAY_URL", gateway_url)
    monkeypatch.setenv("HUB_STATS_URL", stats_url)
    return AppTest.from_file(str(APP), default_timeout=30).run()


def _log_in(app: AppTest, email: str, password: str) -> AppTest:
    app.text_input(key="login_email").input(email)
    app.text_input(key="login_password").input(password)
    return app.button[0].click().run()


def test_a_coach_logs_in_sees_their_team_and_logs_out(settings, login_page):
    club = make_club(settings)

    app = _log_in(login_page, club["coach"].email, PASSWORD)

    assert not app.exception
    assert app.session_state[TOKEN_KEY]
    assert texts(app.title) == ["Team load"]
    assert app.selectbox[0].options == [f"Team {str(club.team_id)[:8]}"]
    # the stats API accepts the gateway's token; it has no snapshot yet, and says so
    assert any(text.startswith("Statistics are not built yet") for text in texts(app.info))

    app.sidebar.button[0].click().run()

    assert TOKEN_KEY not in app.session_state
    assert [t.label for t in app.text_input] == ["E-mail", "Password"]


def test_a_wrong_password_is_refused_with_the_gateways_message(settings, login_page):
    club = make_club(settings)

    app = _log_in(login_page, club["coach"].email, "not the password")

    assert not app.exception
    assert texts(app.error) == ["E-mail or password is wrong."]
    assert TOKEN_KEY not in app.session_state


def test_an_empty_form_asks_for_both_fields(login_page):
    app = login_page.button[0].click().run()

    assert texts(app.error) == ["Enter your e-mail and your password."]
