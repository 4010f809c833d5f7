"""Every person created gets an invitation an admin can follow and send again."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from operational.users.models import OneTimeToken
from tests.factories import PASSWORD
from tests.operational.users.unit_of_work import in_transaction

INVITATIONS = "/api/v1/users/invitations"
ACCEPT = "/api/v1/auth/invitations/accept"


def _invite(gateway, club, **extra) -> dict:
    body = {"email": f"{uuid.uuid4().hex[:8]}@example.org", "full_name": "Invited Person", **extra}
    answer = gateway.post(INVITATIONS, json=body, headers=club["admin"].headers)
    assert answer.status_code == 201, answer.text
    return answer.json() | {"email": body["email"]}


def _list(gateway, club, **params) -> dict:
    answer = gateway.get(INVITATIONS, params=params, headers=club["admin"].headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_an_admin_follows_each_invitation_from_pending_to_accepted_or_expired(gateway, club, settings):
    pending = _invite(gateway, club, team_id=str(club.team_id), role="player")
    accepted = _invite(gateway, club)
    expired = _invite(gateway, club)
    assert gateway.post(ACCEPT, json={"token": accepted["invitation_token"], "password": PASSWORD}).status_code == 200

    async def expire(session):
        await session.execute(
            update(OneTimeToken)
            .where(OneTimeToken.user_id == uuid.UUID(expired["user_id"]))
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )

    asyncio.run(in_transaction(settings, expire))

    everyone = {item["user_id"]: item["status"] for item in _list(gateway, club)["items"]}
    assert everyone == {pending["user_id"]: "pending", accepted["user_id"]: "accepted", expired["user_id"]: "expired"}
    for status, person in (("pending", pending), ("accepted", accepted), ("expired", expired)):
        assert [i["user_id"] for i in _list(gateway, club, status=status)["items"]] == [person["user_id"]]
    assert [i["user_id"] for i in _list(gateway, club, team_id=str(club.team_id))["items"]] == [pending["user_id"]]
    assert [i["user_id"] for i in _list(gateway, club, q=accepted["email"][:8])["items"]] == [accepted["user_id"]]
    today = datetime.now(UTC).date()
    assert _list(gateway, club, **{"from": (today + timedelta(days=2)).isoformat()})["total"] == 0

    # the same state shows in the member list
    [member] = gateway.get("/api/v1/users", params={"q": pending["email"][:8]}, headers=club["admin"].headers).json()[
        "items"
    ]
    assert member["invitation"]["status"] == "pending" and member["is_active"] is True
    # club admins only
    assert gateway.get(INVITATIONS, headers=club["coach"].headers).status_code == 403


def test_sending_again_gives_a_new_link_and_the_old_one_stops_working(gateway, club):
    invited = _invite(gateway, club)
    again = gateway.post(f"/api/v1/users/{invited['user_id']}/invitation", headers=club["admin"].headers)
    assert again.status_code == 201
    new_token = again.json()["invitation_token"]
    assert new_token != invited["invitation_token"]
    old = gateway.post(ACCEPT, json={"token": invited["invitation_token"], "password": PASSWORD})
    assert old.status_code == 422
    assert gateway.post(ACCEPT, json={"token": new_token, "password": PASSWORD}).status_code == 200
    # nothing to send once they are in; and only admins send
    done = gateway.post(f"/api/v1/users/{invited['user_id']}/invitation", headers=club["admin"].headers)
    assert done.status_code == 409
    other = _invite(gateway, club, team_id=str(club.team_id), role="player")
    by_coach = gateway.post(f"/api/v1/users/{other['user_id']}/invitation", headers=club["coach"].headers)
    assert by_coach.status_code == 403


def test_inviting_a_member_again_says_what_to_do(gateway, club):
    invited = _invite(gateway, club)
    twice = gateway.post(
        INVITATIONS, json={"email": invited["email"], "full_name": "Again"}, headers=club["admin"].headers
    )
    assert twice.status_code == 409 and "new invitation" in twice.json()["error"]["message"]


def test_a_deactivated_persons_invitation_no_longer_opens_the_account(gateway, club):
    invited = _invite(gateway, club)
    deactivated = gateway.post(f"/api/v1/users/{invited['user_id']}/deactivate", json={}, headers=club["admin"].headers)
    assert deactivated.status_code == 200
    accept = gateway.post(ACCEPT, json={"token": invited["invitation_token"], "password": PASSWORD})
    assert accept.status_code == 422
    refused = gateway.post(f"/api/v1/users/{invited['user_id']}/invitation", headers=club["admin"].headers)
    assert refused.status_code == 409


def test_a_guardian_acts_for_an_invited_minor_before_the_minor_signs_in(gateway, club):
    """Young players rarely sign in themselves: their parent acts for them from the start."""
    prefix = uuid.uuid4().hex[:8]
    content = (
        "email,full_name,team,role,date_of_birth,guardian_email\n"
        f"{prefix}@example.org,Little One,U16,player,2015-06-01,{club['parent'].email}\n"
    )
    report = gateway.post(
        "/api/v1/users/import",
        params={"dry_run": "false"},
        content=content.encode(),
        headers={**club["admin"].headers, "Content-Type": "text/csv"},
    )
    assert report.status_code == 200, report.text
    [invitation] = report.json()["invitations"]
    signed_in = gateway.post("/api/v1/auth/login", json={"email": club["parent"].email, "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {signed_in['access_token']}"}
    changed = gateway.patch(f"/api/v1/users/{invitation['user_id']}", json={"position": "goalie"}, headers=headers)
    assert changed.status_code == 200 and changed.json()["position"] == "goalie"
