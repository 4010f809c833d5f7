"""An e-mail is unique within a club only: no club can find out whom another club has registered.

The same person in two clubs has two accounts. Signing in, the password says which; when it opens both, the person
names the club.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest

from operational.users import auth_service
from tests.factories import PASSWORD, make_club
from tests.operational.users.unit_of_work import in_transaction

LOGIN = "/api/v1/auth/login"


@pytest.fixture(scope="module")
def clubs(settings):
    return make_club(settings), make_club(settings)


def _slug_of(gateway, person) -> str:
    return gateway.get("/api/v1/orgs/current", headers=person.headers).json()["slug"]


def test_an_address_registered_in_another_club_is_never_revealed(gateway, clubs):
    ours, theirs = clubs
    elsewhere = theirs["coach"].email
    invited = gateway.post(
        "/api/v1/users/invitations",
        json={"email": elsewhere, "full_name": "Same Person"},
        headers=ours["admin"].headers,
    )
    assert invited.status_code == 201  # an account of our own, as for any new address

    csv_text = f"email,full_name\n{theirs['player'].email},Someone\n{theirs['admin'].email},Someone Else\n"
    dry = gateway.post(
        "/api/v1/users/import",
        params={"dry_run": "true"},
        content=csv_text.encode(),
        headers={**ours["admin"].headers, "Content-Type": "text/csv"},
    ).json()
    assert dry["errors"] == [] and dry["created"] == 2

    # while our own members are reported as ours
    mine = gateway.post(
        "/api/v1/users/invitations",
        json={"email": ours["coach"].email, "full_name": "Again"},
        headers=ours["admin"].headers,
    )
    assert mine.status_code == 409 and mine.json()["error"]["field"] == "email"


def test_the_password_chooses_the_account_and_the_club_decides_a_tie(gateway, settings):
    ours, theirs = make_club(settings), make_club(settings)
    email = f"both-{uuid.uuid4().hex[:8]}@example.org"
    for club, password in ((ours, "our-club-secret"), (theirs, PASSWORD)):
        invited = gateway.post(
            "/api/v1/users/invitations",
            json={"email": email, "full_name": "Two Clubs", "team_id": str(club.team_id), "role": "player"},
            headers=club["admin"].headers,
        ).json()
        accepted = gateway.post(
            "/api/v1/auth/invitations/accept", json={"token": invited["invitation_token"], "password": password}
        )
        assert accepted.status_code == 200

    def org_of(answer) -> str:
        me = gateway.get("/api/v1/users/me", headers={"Authorization": f"Bearer {answer.json()['access_token']}"})
        return me.json()["org_id"]

    assert org_of(gateway.post(LOGIN, json={"email": email, "password": "our-club-secret"})) == str(ours.org_id)
    assert org_of(gateway.post(LOGIN, json={"email": email, "password": PASSWORD})) == str(theirs.org_id)

    # the same password in both clubs: the person says which club
    token = asyncio.run(
        in_transaction(
            settings,
            lambda s: auth_service.request_password_reset(s, settings, email, _slug_of(gateway, ours["admin"])),
        )
    )
    reset = gateway.post("/api/v1/auth/password-reset/confirm", json={"token": token[0], "new_password": PASSWORD})
    assert reset.status_code == 204
    tie = gateway.post(LOGIN, json={"email": email, "password": PASSWORD})
    assert tie.status_code == 409 and tie.json()["error"]["code"] == "club_required"
    slugs = {d["club"] for d in tie.json()["error"]["details"]}
    assert slugs == {_slug_of(gateway, ours["admin"]), _slug_of(gateway, theirs["admin"])}
    chosen = gateway.post(LOGIN, json={"email": email, "password": PASSWORD, "club": _slug_of(gateway, ours["admin"])})
    assert chosen.status_code == 200 and org_of(chosen) == str(ours.org_id)


def test_a_password_reset_reaches_every_account_of_the_address(gateway, settings):
    ours, theirs = make_club(settings), make_club(settings)
    email = f"reset-{uuid.uuid4().hex[:8]}@example.org"
    for club in (ours, theirs):
        invited = gateway.post(
            "/api/v1/users/invitations", json={"email": email, "full_name": "Two Clubs"}, headers=club["admin"].headers
        ).json()
        body = {"token": invited["invitation_token"], "password": f"{club.org_id}"[:16]}
        assert gateway.post("/api/v1/auth/invitations/accept", json=body).status_code == 200
    tokens = asyncio.run(in_transaction(settings, lambda s: auth_service.request_password_reset(s, settings, email)))
    assert len(tokens) == 2
