"""Trying to read statistics one may not: other players, other teams, other clubs, and bad tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from operational.stats.service import today
from tests.operational.stats.snapshots import make_stats_club, person_with
from tests.operational.stats.test_router import player_url, team_url

YESTERDAY = today() - timedelta(days=1)


@pytest.fixture
def league(stats_settings, warehouse, stats_club):
    """Two clubs with a session for every player: the own team's, the other team's, and one without a team."""
    rival = make_stats_club(stats_settings)
    for club in (stats_club, rival):
        for name, team_id in (
            ("player", club.team_id),
            ("teammate", club.team_id),
            ("other_player", club.other_team_id),
        ):
            warehouse.add_day(club.org_id, club[name].id, team_id, YESTERDAY)
    # the player also trained with the other team once, and once without a team
    player = stats_club["player"]
    warehouse.add_day(stats_club.org_id, player.id, stats_club.other_team_id, YESTERDAY - timedelta(days=1), rpe=2)
    warehouse.add_day(stats_club.org_id, player.id, None, YESTERDAY - timedelta(days=2), rpe=3)
    warehouse.publish()
    return stats_club, rival


def _days(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [d["session_date"] for d in response.json()["days"]]


def test_a_player_sees_all_of_their_own_days_and_nobody_elses(stats, league):
    club, rival = league
    player = club["player"]

    assert len(_days(stats.get(player_url(player), headers=player.headers))) == 3
    for someone in (club["teammate"], club["other_player"], rival["player"]):
        response = stats.get(player_url(someone), headers=player.headers)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert stats.get(team_url(club.other_team_id), headers=player.headers).status_code == 404


def test_a_player_is_told_the_team_view_is_for_staff(stats, league):
    club, _ = league
    response = stats.get(team_url(club.team_id), headers=club["player"].headers)

    assert response.status_code == 403
    assert "coaches" in response.json()["error"]["message"]


@pytest.mark.parametrize("staff", ["coach", "trainer"])
def test_team_staff_see_only_their_teams_sessions(stats, league, staff):
    club, rival = league
    person = club[staff]

    # the player's sessions with the other team and without a team stay hidden from this team's staff
    assert _days(stats.get(player_url(club["player"]), headers=person.headers)) == [YESTERDAY.isoformat()]
    assert _days(stats.get(player_url(club["teammate"]), headers=person.headers)) == [YESTERDAY.isoformat()]
    assert stats.get(player_url(club["other_player"]), headers=person.headers).status_code == 404
    assert stats.get(player_url(rival["player"]), headers=person.headers).status_code == 404
    assert stats.get(team_url(club.team_id), headers=person.headers).status_code == 200
    assert stats.get(team_url(club.other_team_id), headers=person.headers).status_code == 404
    assert stats.get(team_url(rival.team_id), headers=person.headers).status_code == 404


@pytest.mark.parametrize("admin", ["admin", "platform_admin"])
def test_admins_see_their_whole_club_and_nothing_of_another(stats, league, admin):
    club, rival = league
    person = club[admin]

    assert len(_days(stats.get(player_url(club["player"]), headers=person.headers))) == 3
    assert _days(stats.get(player_url(club["other_player"]), headers=person.headers)) == [YESTERDAY.isoformat()]
    for team_id in (club.team_id, club.other_team_id):
        assert len(stats.get(team_url(team_id), headers=person.headers).json()["player_days"]) >= 1
    for url in (player_url(rival["player"]), team_url(rival.team_id), team_url(uuid.uuid4())):
        response = stats.get(url, headers=person.headers)
        assert response.status_code == 404, url
        assert "visible to you" in response.json()["error"]["message"]


def test_other_roles_see_only_themselves(stats, league):
    club, _ = league
    medic = club["medic"]

    assert stats.get(player_url(club["player"]), headers=medic.headers).status_code == 404
    assert stats.get(team_url(club.team_id), headers=medic.headers).status_code == 404
    assert _days(stats.get(player_url(medic), headers=medic.headers)) == []


def test_rows_are_filtered_by_the_callers_club_even_when_ids_match(stats, stats_settings, league):
    """Ids are unique across clubs, but the SQL never relies on it: a token of another club gets no rows."""
    club, rival = league
    # a coach of the rival club whose token names this club's team, and a rival user with this player's id
    coach = person_with(stats_settings, rival.org_id, {"coach"}, {club.team_id})
    namesake = person_with(stats_settings, rival.org_id, {"player"}, set(), user_id=club["player"].id)

    assert stats.get(team_url(club.team_id), headers=coach.headers).json()["player_days"] == []
    assert stats.get(player_url(club["player"]), headers=coach.headers).status_code == 404
    assert _days(stats.get(player_url(club["player"]), headers=namesake.headers)) == []


def signed_token(stats_settings, principal, key=None, **claims) -> str:
    """A token with the users service's claims, signed with ``key`` (by default the real private key)."""
    now = datetime.now(UTC)
    body = {
        "sub": str(principal.user_id),
        "org_id": str(principal.org_id),
        "roles": sorted(principal.roles),
        "team_ids": [str(t) for t in principal.team_ids],
        "iss": stats_settings.jwt_issuer,
        "aud": stats_settings.jwt_audience,
        "iat": now,
        "exp": now + timedelta(minutes=15),
    }
    key = key or serialization.load_pem_private_key(stats_settings.private_key_pem, password=None)
    return jwt.encode({**body, **claims}, key, algorithm="EdDSA")


def _hmac_with_public_key(stats_settings, principal) -> str:
    """The algorithm-confusion attack: HS256 keyed with the (public) verification key."""

    def part(data: dict | bytes) -> str:
        raw = data if isinstance(data, bytes) else json.dumps(data).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    claims = {"sub": str(principal.user_id), "org_id": str(principal.org_id), "roles": ["club_admin"]}
    claims |= {"iss": stats_settings.jwt_issuer, "aud": stats_settings.jwt_audience}
    claims |= {"iat": int(time.time()), "exp": int(time.time()) + 900}
    signing_input = f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}"
    signature = hmac.new(stats_settings.public_key_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{part(signature)}"


BAD_TOKENS = [
    "missing",
    "garbage",
    "expired",
    "another key",
    "unsigned",
    "wrong audience",
    "wrong issuer",
    "hmac",
]


def _bad_token(kind: str, stats_settings, club) -> str | None:
    admin = club["admin"].principal
    if kind == "missing":
        return None
    if kind == "garbage":
        return "not-a-token"
    if kind == "expired":
        return person_with(stats_settings, club.org_id, {"club_admin"}, set(), minutes=-1).token
    if kind == "another key":
        return signed_token(stats_settings, admin, key=Ed25519PrivateKey.generate())
    if kind == "unsigned":
        return jwt.encode({"sub": str(admin.user_id), "org_id": str(admin.org_id)}, key=None, algorithm="none")
    if kind == "wrong audience":
        return signed_token(stats_settings, admin, aud="another-product")
    if kind == "wrong issuer":
        return signed_token(stats_settings, admin, iss="someone-else")
    return _hmac_with_public_key(stats_settings, admin)


@pytest.mark.parametrize("kind", BAD_TOKENS)
def test_without_a_valid_token_nothing_is_shown(stats, stats_settings, league, kind):
    club, _ = league
    token = _bad_token(kind, stats_settings, club)
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}

    for url in (player_url(club["player"]), team_url(club.team_id)):
        response = stats.get(url, headers=headers)
        assert response.status_code == 401, (kind, response.text)
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"


def test_the_real_key_with_the_right_claims_is_accepted(stats, stats_settings, league):
    """The token builder above is right, so the refusals above are about what each token gets wrong."""
    club, _ = league
    token = signed_token(stats_settings, club["admin"].principal)

    response = stats.get(player_url(club["player"]), headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
