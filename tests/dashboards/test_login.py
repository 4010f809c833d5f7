"""Logging in to the dashboards through the real gateway, staying signed in past the access token's 15 minutes,
and logging out."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from streamlit.testing.v1 import AppTest

from dashboards.session import REFRESH_KEY, SECOND_FACTOR_NEEDED, TOKEN_KEY
from operational.users import totp
from tests.dashboards.helpers import APP, open_dashboard, texts
from tests.factories import PASSWORD, make_club, token_for


@pytest.fixture
def login_page(monkeypatch, gateway_url, stats_url) -> AppTest:
    monkeypatch.setenv("HUB_GATEWAY_URL", gateway_url)
    monkeypatch.setenv("HUB_STATS_URL", stats_url)
    return AppTest.from_file(str(APP), default_timeout=30).run()


def _log_in(app: AppTest, email: str, password: str) -> AppTest:
    app.text_input(key="login_email").input(email)
    app.text_input(key="login_password").input(password)
    return app.button[0].click().run()


def _refresh_works(gateway_url: str, refresh_token: str) -> bool:
    response = httpx.post(f"{gateway_url}/api/v1/auth/refresh", json={"refresh_token": refresh_token})
    return response.status_code == 200


def test_a_coach_logs_in_sees_their_team_by_name_and_logs_out(settings, gateway_url, login_page):
    club = make_club(settings)

    app = _log_in(login_page, club["coach"].email, PASSWORD)

    assert not app.exception
    assert app.session_state[TOKEN_KEY] and app.session_state[REFRESH_KEY]
    assert texts(app.title) == ["Team load"]
    assert app.selectbox(key="team").options == ["U16"]
    # the stats API accepts the gateway's token; it has no snapshot yet, and says so
    assert any(text.startswith("Statistics are not built yet") for text in texts(app.info))
    refresh_token = app.session_state[REFRESH_KEY]

    app.sidebar.button[0].click().run()

    assert TOKEN_KEY not in app.session_state and REFRESH_KEY not in app.session_state
    assert [t.label for t in app.text_input] == ["E-mail", "Password"]
    assert not app.warning  # leaving on purpose is not a session that ended
    assert not _refresh_works(gateway_url, refresh_token), "logging out ends the sign-in at the gateway too"


def test_an_expiring_access_token_is_renewed_with_the_refresh_token(settings, gateway_url, login_page):
    """After 15 minutes the access token is dead; the page renews it instead of ending the session."""
    club = make_club(settings)
    app = _log_in(login_page, club["coach"].email, PASSWORD)
    first_refresh = app.session_state[REFRESH_KEY]
    app.session_state[TOKEN_KEY] = token_for(settings, club["coach"].principal, minutes=-1)

    app.run()

    assert not app.exception
    assert texts(app.title) == ["Team load"]
    assert app.selectbox(key="team").options == ["U16"]
    assert app.session_state[TOKEN_KEY] != token_for(settings, club["coach"].principal, minutes=-1)
    assert app.session_state[REFRESH_KEY] != first_refresh, "the refresh token rotates with each renewal"
    assert not _refresh_works(gateway_url, first_refresh)


def test_an_access_token_an_api_refuses_is_renewed_once(monkeypatch, settings, gateway_url, stats_url):
    """A token that looks valid but that the APIs refuse (401): the page renews it once and carries on."""
    from tests.operational.stats.test_access import signed_token

    club = make_club(settings)
    signed_in = httpx.post(
        f"{gateway_url}/api/v1/auth/login", json={"email": club["coach"].email, "password": PASSWORD}
    ).json()
    refused = signed_token(settings, club["coach"].principal, key=Ed25519PrivateKey.generate())

    app = open_dashboard(
        monkeypatch, stats_url, refused, gateway_url=gateway_url, refresh_token=signed_in["refresh_token"]
    )

    assert not app.exception
    assert not app.warning
    assert texts(app.title) == ["Team load"]
    assert app.session_state[TOKEN_KEY] != refused


def test_when_renewal_fails_the_session_ends_with_a_note(monkeypatch, settings, gateway_url, stats_url):
    club = make_club(settings)
    expired = token_for(settings, club["coach"].principal, minutes=-1)

    app = open_dashboard(
        monkeypatch, stats_url, expired, gateway_url=gateway_url, refresh_token="revoked-or-unknown-refresh-token"
    )

    assert not app.exception
    assert texts(app.warning) == ["Your session has ended; log in again."]
    assert [t.label for t in app.text_input] == ["E-mail", "Password"]
    assert TOKEN_KEY not in app.session_state and REFRESH_KEY not in app.session_state


def test_a_wrong_password_is_refused_with_the_gateways_message(settings, login_page):
    club = make_club(settings)

    app = _log_in(login_page, club["coach"].email, "not the password")

    assert not app.exception
    assert texts(app.error) == ["E-mail or password is wrong."]
    assert TOKEN_KEY not in app.session_state


def test_an_empty_form_asks_for_both_fields(login_page):
    app = login_page.button[0].click().run()

    assert texts(app.error) == ["Enter your e-mail and your password."]


def test_a_sign_in_that_must_first_set_up_a_second_factor_is_not_kept(settings, gateway_url, login_page):
    club = make_club(settings)
    required = httpx.patch(
        f"{gateway_url}/api/v1/orgs/current",
        json={"mfa_required_roles": ["coach"]},
        headers={"Authorization": f"Bearer {club['admin'].token}"},
    )
    assert required.status_code == 200, required.text

    app = _log_in(login_page, club["coach"].email, PASSWORD)

    assert not app.exception
    assert texts(app.error) == [SECOND_FACTOR_NEEDED]
    assert TOKEN_KEY not in app.session_state


def test_an_account_with_an_authenticator_is_asked_for_its_code(settings, gateway_url, login_page):
    club = make_club(settings)
    coach = club["coach"]
    setup = httpx.post(f"{gateway_url}/api/v1/auth/me/totp/setup", headers=coach.headers).json()
    confirmed = httpx.post(
        f"{gateway_url}/api/v1/auth/me/totp/confirm",
        json={"code": totp.code_at(setup["secret"], time.time())},
        headers=coach.headers,
    )
    assert confirmed.status_code == 200, confirmed.text

    app = _log_in(login_page, coach.email, PASSWORD)

    assert not app.exception and not app.error
    assert TOKEN_KEY not in app.session_state
    assert [t.label for t in app.text_input] == ["E-mail", "Password", "Code from your authenticator app"]
    app.button[0].click().run()
    assert texts(app.error) == ["Enter the 6-digit code from your authenticator app."]

    # a code is accepted once: the next 30-second step's code is the one an authenticator shows next
    app.text_input(key="login_code").input(totp.code_at(setup["secret"], time.time() + totp.STEP_SECONDS))
    app.button[0].click().run()
    assert not app.exception and not app.error, texts(app.error)
    assert app.session_state[TOKEN_KEY]
    assert texts(app.title) == ["Team load"]


def test_an_email_with_accounts_in_two_clubs_chooses_the_club_by_name(settings, gateway_url, login_page):
    ours, theirs = make_club(settings), make_club(settings)
    email = f"both-{uuid.uuid4().hex[:8]}@example.org"
    clubs, slugs = {}, {}
    for club in (ours, theirs):
        invited = httpx.post(
            f"{gateway_url}/api/v1/users/invitations",
            json={"email": email, "full_name": "Two Clubs", "team_id": str(club.team_id), "role": "player"},
            headers=club["admin"].headers,
        ).json()
        accepted = httpx.post(
            f"{gateway_url}/api/v1/auth/invitations/accept",
            json={"token": invited["invitation_token"], "password": PASSWORD},
        )
        assert accepted.status_code == 200, accepted.text
        org = httpx.get(f"{gateway_url}/api/v1/orgs/current", headers=club["admin"].headers).json()
        clubs[org["slug"]], slugs[club.org_id] = org["name"], org["slug"]

    app = _log_in(login_page, email, PASSWORD)

    assert not app.exception and not app.error, texts(app.error)
    assert TOKEN_KEY not in app.session_state
    choice = app.selectbox(key="login_club")
    assert sorted(choice.options) == sorted(clubs.values()), "clubs are offered by name"
    choice.set_value(slugs[theirs.org_id])
    app.button[0].click().run()
    assert not app.exception and not app.error, texts(app.error)
    me = httpx.get(
        f"{gateway_url}/api/v1/users/me", headers={"Authorization": f"Bearer {app.session_state[TOKEN_KEY]}"}
    ).json()
    assert me["org_id"] == str(theirs.org_id)
