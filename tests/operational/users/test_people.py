"""Invitations, password reset, deactivation, guardians turning 18, and the privacy rights."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from operational.kit.db import sqlalchemy_url
from operational.users import auth_service, housekeeping
from operational.users.models import outbox
from tests.factories import PASSWORD
from tests.operational.users.unit_of_work import in_transaction

LOGIN = "/api/v1/auth/login"


def _events_about(settings, subject_id, event_type):
    async def work(session):
        rows = await session.execute(
            select(outbox.table.c.envelope).where(outbox.table.c.subject == f"hub.{event_type}")
        )
        return [e for (e,) in rows.all() if e["subject_id"] == str(subject_id)]

    return asyncio.run(in_transaction(settings, work))


def _unlinked_of(settings, minor_id):
    async def work(session):
        rows = await session.execute(
            select(outbox.table.c.envelope).where(outbox.table.c.subject == "hub.users.guardian.unlinked")
        )
        return [e for (e,) in rows.all() if e["data"]["minor_id"] == str(minor_id)]

    return asyncio.run(in_transaction(settings, work))


def test_invited_person_sets_a_password_and_signs_in(gateway, club, settings):
    invited = gateway.post(
        "/api/v1/users/invitations",
        json={"email": "Newbie@Example.org", "full_name": "New Bie", "team_id": str(club.team_id), "role": "player"},
        headers=club["coach"].headers,
    )
    assert invited.status_code == 201, invited.text
    body = invited.json()
    # before accepting there is no way in
    assert gateway.post(LOGIN, json={"email": "newbie@example.org", "password": "whatever-it-is"}).status_code == 401
    short = gateway.post("/api/v1/auth/invitations/accept", json={"token": body["invitation_token"], "password": "x"})
    assert short.status_code == 422 and short.json()["error"]["field"] == "password"
    accepted = gateway.post(
        "/api/v1/auth/invitations/accept", json={"token": body["invitation_token"], "password": "a-long-password"}
    )
    assert accepted.status_code == 200
    me = gateway.get("/api/v1/users/me", headers={"Authorization": f"Bearer {accepted.json()['access_token']}"}).json()
    assert me["email"] == "newbie@example.org" and me["memberships"][0]["role"] == "player"
    again = gateway.post(
        "/api/v1/auth/invitations/accept", json={"token": body["invitation_token"], "password": "another-password"}
    )
    assert again.status_code == 422
    [event] = _events_about(settings, body["user_id"], "users.invitation.created")
    assert body["invitation_token"] not in str(event), "the one-time token never travels in events"


def test_password_reset_by_one_time_token_ends_other_sessions(gateway, club, settings):
    person = club["other_player"]
    session_before = gateway.post(LOGIN, json={"email": person.email, "password": PASSWORD}).json()
    same_answer = gateway.post("/api/v1/auth/password-reset", json={"email": "nobody@example.org"})
    assert same_answer.status_code == 202
    assert gateway.post("/api/v1/auth/password-reset", json={"email": person.email}).json() == same_answer.json()

    # the link comms would deliver (the API never shows it)
    [token] = asyncio.run(
        in_transaction(settings, lambda s: auth_service.request_password_reset(s, settings, person.email))
    )
    confirm = gateway.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": "brand-new-secret"}
    )
    assert confirm.status_code == 204
    assert gateway.post(LOGIN, json={"email": person.email, "password": PASSWORD}).status_code == 401
    assert gateway.post(LOGIN, json={"email": person.email, "password": "brand-new-secret"}).status_code == 200
    assert (
        gateway.post("/api/v1/auth/refresh", json={"refresh_token": session_before["refresh_token"]}).status_code == 401
    )
    reused = gateway.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": "third-secret!!"}
    )
    assert reused.status_code == 422


def test_deactivated_member_cannot_sign_in_or_refresh(gateway, club, settings):
    person = club["teammate"]
    tokens = gateway.post(LOGIN, json={"email": person.email, "password": PASSWORD}).json()
    response = gateway.post(
        f"/api/v1/users/{person.id}/deactivate", json={"reason": "moved away"}, headers=club["admin"].headers
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert gateway.post(LOGIN, json={"email": person.email, "password": PASSWORD}).status_code == 401
    assert gateway.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert _events_about(settings, person.id, "users.user.deactivated")[0]["data"]["reason"] == "moved away"
    own = gateway.post(f"/api/v1/users/{club['admin'].id}/deactivate", json={}, headers=club["admin"].headers)
    assert own.status_code == 422


def test_guardian_acts_for_a_minor_until_the_athlete_turns_18(gateway, club, settings):
    parent, player, admin = club["parent"], club["player"], club["admin"]
    minor_url = f"/api/v1/users/{player.id}"
    assert gateway.patch(minor_url, json={"jersey_number": 9}, headers=parent.headers).status_code == 200

    # the athlete turns 18 today
    today = date.today()
    eighteenth = (
        today.replace(year=today.year - 18) if (today.month, today.day) != (2, 29) else date(today.year - 18, 2, 28)
    )
    assert (
        gateway.patch(minor_url, json={"date_of_birth": eighteenth.isoformat()}, headers=admin.headers).status_code
        == 200
    )

    fresh = gateway.post(LOGIN, json={"email": parent.email, "password": PASSWORD}).json()
    parent_now = {"Authorization": f"Bearer {fresh['access_token']}"}
    # the parent still shares the team (as a parent member) so they see the roster entry, but cannot act for them
    assert gateway.patch(minor_url, json={"jersey_number": 10}, headers=parent_now).status_code == 403

    engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
    assert asyncio.run(housekeeping.run_once(engine)) >= 1
    [event] = _unlinked_of(settings, player.id)
    assert event["data"]["reason"] == "athlete_turned_18"
    links = gateway.get(f"{minor_url}/guardians", headers=player.headers).json()
    assert links == []


def test_athlete_can_consent_to_keep_a_guardian_past_18(gateway, club):
    parent, player, admin = club["parent"], club["player"], club["admin"]
    minor_url = f"/api/v1/users/{player.id}"
    sixteen = date.today() - timedelta(days=int(16.5 * 365))
    assert (
        gateway.patch(minor_url, json={"date_of_birth": sixteen.isoformat()}, headers=admin.headers).status_code == 200
    )
    [link] = gateway.get(f"{minor_url}/guardians", headers=player.headers).json()
    assert gateway.post(f"/api/v1/users/guardian-links/{link['id']}/consent", headers=parent.headers).status_code == 403
    assert gateway.post(f"/api/v1/users/guardian-links/{link['id']}/consent", headers=player.headers).status_code == 200

    adult = date.today() - timedelta(days=19 * 365)
    assert gateway.patch(minor_url, json={"date_of_birth": adult.isoformat()}, headers=admin.headers).status_code == 200
    fresh = gateway.post(LOGIN, json={"email": parent.email, "password": PASSWORD}).json()
    assert (
        gateway.patch(
            minor_url, json={"jersey_number": 11}, headers={"Authorization": f"Bearer {fresh['access_token']}"}
        ).status_code
        == 200
    )
    # and the adult athlete may withdraw it
    assert gateway.delete(f"/api/v1/users/guardian-links/{link['id']}", headers=player.headers).status_code == 204


def test_export_me_and_erase_me(gateway, club, settings):
    person = club["other_player"]
    export = gateway.get("/api/v1/users/me/export", headers=person.headers)
    assert export.status_code == 200
    data = export.json()
    assert data["account"]["email"] == person.email
    assert [t["team_id"] for t in data["teams"]] == [str(club.other_team_id)]

    assert gateway.delete("/api/v1/users/me", headers=person.headers).status_code == 204
    assert gateway.post(LOGIN, json={"email": person.email, "password": PASSWORD}).status_code == 401
    assert gateway.get(f"/api/v1/users/{person.id}", headers=club["admin"].headers).status_code == 404
    [event] = _events_about(settings, person.id, "users.user.anonymized")
    assert event["data"] == {"user_id": str(person.id)}
    exported_csv = gateway.get("/api/v1/users/export.csv", headers=club["admin"].headers).text
    assert person.email not in exported_csv and "Erased" not in exported_csv


@pytest.mark.parametrize(
    ("who", "url", "body", "expected"),
    [
        ("player", "/api/v1/users/me", {"full_name": None}, 422),
        ("player", "/api/v1/users/me", {"language": None}, 422),
        ("player", "/api/v1/users/me", {"position": None, "jersey_number": None, "time_zone": None}, 200),
        ("admin", "/api/v1/users/{player}", {"date_of_birth": None}, 422),
        ("admin", "/api/v1/users/{player}", {"org_roles": None}, 422),
        ("admin", "/api/v1/teams/{team}", {"name": None}, 422),
        ("admin", "/api/v1/teams/{team}", {"level": None, "age_group": None}, 200),
        ("admin", "/api/v1/orgs/current", {"time_zone": None}, 422),
        ("admin", "/api/v1/orgs/current", {"mfa_required_roles": None}, 422),
    ],
)
def test_an_explicit_null_clears_only_what_may_be_empty(gateway, club, who, url, body, expected):
    answer = gateway.patch(
        url.format(player=club["player"].id, team=club.team_id), json=body, headers=club[who].headers
    )
    assert answer.status_code == expected, answer.text
    if expected == 422:
        assert "cannot be null" in answer.json()["error"]["message"]
    else:
        assert all(answer.json()[name] is None for name in body)
