"""Moving a player between teams (a club admin) or clubs (a platform admin) through the API: the saga's state, the
memberships, the fees, the events, and who may do it."""

from __future__ import annotations

import pytest

from tests.operational.payments.conftest import _club
from tests.operational.payments.helpers import BASE, day, fee_plan, run, sql

SEASON = {"season_start": day(-100), "season_end": day(264)}  # 365 days, 265 of them from today on


def _paid_part(client, settings, club, amount_minor, paid_minor) -> dict:
    """The teammate's fee of the first team, as if they had played since the season began, issued, partly paid."""
    sql(settings, "UPDATE payments.roster SET joined_on = %s WHERE org_id = %s", SEASON["season_start"],
        club.org_id)  # fmt: skip
    invoices = run(client, club, fee_plan(client, club, amount_minor=amount_minor, **SEASON))["invoices"]
    (invoice,) = [i for i in invoices if i["player_id"] == str(club["teammate"].id)]
    admin = club["admin"].headers
    client.post(f"{BASE}/invoices/{invoice['id']}/issue", headers=admin)
    client.post(f"{BASE}/invoices/{invoice['id']}/payments", json={"amount_minor": paid_minor}, headers=admin)
    return invoice


@pytest.fixture(scope="module")
def clubs(settings):
    """Two clubs of this module's own, built once (the moves change their people): ``leaving``, whose players move
    (the teammate within the club, the other team's player into the other club), and ``joining``."""
    return _club(settings), _club(settings)


def _members(client, club, team_id) -> set[str]:
    response = client.get(f"/api/v1/teams/{team_id}/members", headers=club["admin"].headers)
    return {item["id"] for item in response.json()["items"]}


def test_a_club_admin_moves_a_player_with_their_fees(gateway, settings, clubs):
    club, admin = clubs[0], clubs[0]["admin"].headers
    old = _paid_part(gateway, settings, club, 36500, 10000)
    fee_plan(gateway, club, team_id=str(club.other_team_id), name="U18 season fee", amount_minor=73000, **SEASON)
    teammate = str(club["teammate"].id)

    started = gateway.post(f"{BASE}/transfers", headers=admin, json={
        "player_id": teammate, "from_team_id": str(club.team_id), "to_team_id": str(club.other_team_id)})  # fmt: skip

    assert started.status_code == 202, started.text
    assert started.json()["status"] == "running"
    transfer = gateway.get(f"{BASE}/transfers/{started.json()['id']}", headers=admin).json()
    assert (transfer["status"], transfer["player_name"], transfer["from_team_name"], transfer["to_team_name"]) == (
        "completed", "Teammate", "U16", "U18")  # fmt: skip
    assert [(s["name"], s["status"], s["attempts"]) for s in transfer["steps"]] == [
        ("leave_old_team", "done", 1), ("join_new_team", "done", 1), ("credit_old_fee", "done", 1),
        ("charge_new_fee", "done", 1)]  # fmt: skip
    assert teammate in _members(gateway, club, club.other_team_id)
    assert teammate not in _members(gateway, club, club.team_id)
    # 265 of 365 days left: 265 € of the 365 € fee off (what was still due), 530 € of the 730 € fee charged
    credited = gateway.get(f"{BASE}/invoices/{old['id']}", headers=admin).json()
    assert (credited["status"], credited["credited_minor"]) == ("paid", 26500)
    assert credited["credit_notes"][0]["reason"].startswith("Left the team on")
    new = gateway.get(f"{BASE}/invoices", params={"player_id": teammate, "status": "draft"}, headers=admin).json()
    assert [(i["team_name"], i["total_minor"]) for i in new["items"]] == [("U18", 53000)]
    events = dict(sql(settings, "SELECT subject, envelope->'data' FROM payments.outbox WHERE envelope->>'subject_id' "
                      "= %s", transfer["id"]))  # fmt: skip
    assert events["hub.payments.transfer.completed"]["credited_minor"] == 26500
    assert events["hub.payments.transfer.completed"]["charged_minor"] == 53000
    assert "hub.payments.transfer.started" in events
    listed = gateway.get(f"{BASE}/transfers", params={"status": "completed"}, headers=admin).json()
    assert [item["id"] for item in listed["items"]] == [transfer["id"]]


def test_who_may_move_a_player_and_what_is_refused(gateway, payments_club):
    club = payments_club
    body = {"player_id": str(club["player"].id), "from_team_id": str(club.team_id),
            "to_team_id": str(club.other_team_id)}  # fmt: skip

    def start(who, **changes):
        return gateway.post(f"{BASE}/transfers", json=body | changes, headers=club[who].headers)

    assert start("coach").status_code == 403
    assert start("parent").status_code == 403
    assert gateway.get(f"{BASE}/transfers", headers=club["coach"].headers).status_code == 403
    not_there = start("admin", player_id=str(club["other_player"].id))
    assert not_there.status_code == 409 and "is not a player of that team" in not_there.json()["error"]["message"]
    assert start("admin", to_team_id=str(club.team_id)).status_code == 422
    assert start("admin", effective_on=day(1)).status_code == 422
    elsewhere = start("admin", to_org_id=str(club["admin"].id))
    assert elsewhere.status_code == 404 and "platform admin" in elsewhere.json()["error"]["message"]


def test_a_platform_admin_moves_a_player_into_another_club(gateway, settings, clubs):
    from tests.factories import make_platform_admin

    leaving, joining = clubs
    operator = make_platform_admin(settings)
    body = {"player_id": str(leaving["other_player"].id), "from_team_id": str(leaving.other_team_id),
            "from_org_id": str(leaving.org_id), "to_org_id": str(joining.org_id),
            "to_player_id": str(joining["spare1"].id), "to_team_id": str(joining.team_id)}  # fmt: skip

    by_club_admin = gateway.post(f"{BASE}/transfers", json=body, headers=leaving["admin"].headers)
    started = gateway.post(f"{BASE}/transfers", json=body, headers=operator.headers)

    assert by_club_admin.status_code == 404
    assert started.status_code == 202, started.text
    url = f"{BASE}/transfers/{started.json()['id']}"
    for admin in (leaving["admin"], joining["admin"]):
        assert gateway.get(url, headers=admin.headers).json()["status"] == "completed"
    assert gateway.get(url, headers=joining["coach"].headers).status_code == 403
    assert str(leaving["other_player"].id) not in _members(gateway, leaving, leaving.other_team_id)
    assert str(joining["spare1"].id) in _members(gateway, joining, joining.team_id)
