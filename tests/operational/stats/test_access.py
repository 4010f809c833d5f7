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

from tests.operational.stats.snapshots import club_today as today
from tests.operational.stats.snapshots import make_stats_club, person_with
from tests.operational.stats.urls import player_url, team_url

YESTERDAY = today() - timedelta(days=1)


@pytest.fixture
def league(stats_settings, warehouse, stats_club):
    """Two clubs with a session for every player: the own team's, the other team's, and one without a team."""
    rival = make_stats_club(stats_settings, warehouse)
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


PLAYER_ENDPOINTS = ["daily-load", "load-metrics", "wellness", "test-results"]
TEAM_ENDPOINTS = ["daily-load", "load-board", "attendance", "compliance"]
PLAYER_ENDPOINTS[:0] = ["goals", "form"]  # planning insights
TEAM_ENDPOINTS += ["season-plan", "form", "effort", "goals"]  # planning insights

# Who reads whose player statistics: 200 (may), 403 (a person of the caller's club the caller may not read),
# 404 (another club's person, or nobody). Subjects: "player" (a minor on "team"), "other_player" (on
# "other_team"), "rival_player" (the same role in another club), "nobody" (an id no one has).
PLAYER_MATRIX = [
    ("player", "player", 200),
    ("parent", "player", 200),  # the guardian reads the child's statistics as the child does
    ("coach", "player", 200),
    ("trainer", "player", 200),
    ("admin", "player", 200),
    ("platform_admin", "player", 200),
    ("teammate", "player", 403),
    ("other_coach", "player", 200),  # the player once trained with the other team: that day is theirs to see
    ("other_coach", "teammate", 403),
    ("medic", "player", 403),
    ("parent", "teammate", 403),  # a guardian of one child is not a guardian of the others
    ("coach", "other_player", 403),
    ("player", "rival_player", 404),
    ("coach", "rival_player", 404),
    ("admin", "rival_player", 404),
    ("admin", "nobody", 404),
    ("parent", "nobody", 404),
]


def _subject(club, rival, name):
    if name == "rival_player":
        return rival["player"].id
    if name == "nobody":
        return uuid.uuid4()
    return club[name].id


@pytest.mark.parametrize(("reader", "subject", "status"), PLAYER_MATRIX)
def test_who_reads_whose_player_statistics(stats, league, reader, subject, status):
    club, rival = league
    player_id = _subject(club, rival, subject)
    for what in PLAYER_ENDPOINTS:  # one loader resolves the id for every endpoint
        response = stats.get(f"/api/v1/stats/players/{player_id}/{what}", headers=club[reader].headers)

        assert response.status_code == status, (what, response.text)
        if status != 200:
            error = response.json()["error"]
            assert (error["code"], error["field"]) == ({403: "forbidden", 404: "not_found"}[status], "player_id")
            assert "/api/" not in error["message"]


# Subjects: "team" (the coach's), "other_team" (of the same club), "rival_team" (another club's), "nobody".
TEAM_MATRIX = [
    ("coach", "team", 200),
    ("trainer", "team", 200),
    ("admin", "team", 200),
    ("admin", "other_team", 200),
    ("platform_admin", "other_team", 200),
    ("player", "team", 403),
    ("parent", "team", 403),
    ("medic", "team", 403),
    ("coach", "other_team", 403),
    ("coach", "rival_team", 404),
    ("admin", "rival_team", 404),
    ("admin", "nobody", 404),
]


@pytest.mark.parametrize(("reader", "subject", "status"), TEAM_MATRIX)
def test_who_reads_which_team_statistics(stats, league, reader, subject, status):
    club, rival = league
    team_id = {"team": club.team_id, "other_team": club.other_team_id, "rival_team": rival.team_id}.get(
        subject, uuid.uuid4()
    )
    for what in TEAM_ENDPOINTS:
        response = stats.get(f"/api/v1/stats/teams/{team_id}/{what}", headers=club[reader].headers)

        assert response.status_code == status, (what, response.text)
        if status != 200:
            error = response.json()["error"]
            assert (error["code"], error["field"]) == ({403: "forbidden", 404: "not_found"}[status], "team_id")
            assert "/api/" not in error["message"]


@pytest.mark.parametrize(
    ("reader", "status"), [("coach", 200), ("trainer", 200), ("player", 403), ("parent", 403), ("medic", 403)]
)
def test_a_team_without_rows_yet_is_read_by_whom_it_will_be_read_by_later(stats, warehouse, stats_club, reader, status):
    """A team in the caller's token is known before any event about it reaches the warehouse; that must not let a
    player or a parent read what they could not read once it has rows."""
    warehouse.publish()
    for what in TEAM_ENDPOINTS:
        response = stats.get(f"/api/v1/stats/teams/{stats_club.team_id}/{what}", headers=stats_club[reader].headers)

        assert response.status_code == status, (what, response.text)


def test_a_player_sees_all_of_their_own_days(stats, league):
    club, _ = league
    player = club["player"]

    assert len(_days(stats.get(player_url(player), headers=player.headers))) == 3


def test_a_guardian_sees_exactly_what_the_child_sees(stats, league):
    club, _ = league
    player, parent = club["player"], club["parent"]
    for what in PLAYER_ENDPOINTS:
        as_child = stats.get(f"/api/v1/stats/players/{player.id}/{what}", headers=player.headers).json()
        as_parent = stats.get(f"/api/v1/stats/players/{player.id}/{what}", headers=parent.headers).json()
        assert as_parent == as_child, what
    assert as_parent["player_name"] == "Elias Nilsson"


@pytest.mark.parametrize("staff", ["coach", "trainer"])
def test_team_staff_see_only_their_teams_sessions(stats, league, staff):
    club, _ = league
    person = club[staff]

    # the player's sessions with the other team and without a team stay hidden from this team's staff
    assert _days(stats.get(player_url(club["player"]), headers=person.headers)) == [YESTERDAY.isoformat()]
    assert _days(stats.get(player_url(club["player"]), headers=club["other_coach"].headers)) == [
        (YESTERDAY - timedelta(days=1)).isoformat()
    ]
    assert _days(stats.get(player_url(club["teammate"]), headers=person.headers)) == [YESTERDAY.isoformat()]


@pytest.mark.parametrize("admin", ["admin", "platform_admin"])
def test_admins_see_their_whole_club(stats, league, admin):
    club, _ = league
    person = club[admin]

    assert len(_days(stats.get(player_url(club["player"]), headers=person.headers))) == 3
    assert _days(stats.get(player_url(club["other_player"]), headers=person.headers)) == [YESTERDAY.isoformat()]
    for team_id in (club.team_id, club.other_team_id):
        assert len(stats.get(team_url(team_id), headers=person.headers).json()["player_days"]) >= 1


def test_other_roles_see_only_themselves(stats, league):
    club, _ = league
    medic = club["medic"]

    assert _days(stats.get(player_url(medic), headers=medic.headers)) == []


def test_rows_are_filtered_by_the_callers_club_even_when_ids_match(stats, stats_settings, league):
    """Ids are unique across clubs, but the SQL never relies on it: a token of another club gets no rows."""
    club, rival = league
    # a coach of the rival club whose token names this club's team, and a rival user with this player's id
    coach = person_with(stats_settings, rival.org_id, {"coach"}, {club.team_id})
    namesake = person_with(stats_settings, rival.org_id, {"player"}, set(), user_id=club["player"].id)

    assert stats.get(team_url(club.team_id), headers=coach.headers).status_code == 404
    assert stats.get(player_url(club["player"]), headers=coach.headers).status_code == 404
    namesakes_own = stats.get(player_url(club["player"]), headers=namesake.headers)
    assert _days(namesakes_own) == []
    assert namesakes_own.json()["player_name"] is None


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
