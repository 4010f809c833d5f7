"""Read receipts: the author of a message sees which recipients have read it and when; a person may turn theirs off
(then nobody sees that they read, and they see nobody's), and a club may switch them off for everyone."""

from __future__ import annotations

from tests.operational.comms.helpers import BASE
from tests.operational.comms.test_conversations import say, team_channel

SETTINGS = f"{BASE}/conversation-settings"


def receipts(gateway, person, message_id):
    return gateway.get(f"{BASE}/messages/{message_id}/receipts", headers=person.headers)


def own_read_by(gateway, person, channel) -> list:
    page = gateway.get(f"{BASE}/conversations/{channel}/messages", headers=person.headers).json()
    return [m["read_by"] for m in page["items"] if m["author_id"] == str(person.id)]


def test_the_author_sees_who_has_read_their_message_and_when(gateway, comms_club):
    channel = team_channel(gateway, comms_club["coach"])["id"]
    message = say(gateway, comms_club["coach"], channel, "Ice time moved to 18:00")
    assert gateway.post(f"{BASE}/conversations/{channel}/read", headers=comms_club["player"].headers).status_code == 204

    seen = receipts(gateway, comms_club["coach"], message["id"])
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert body["read"] == 1
    assert [(r["name"], r["read"]) for r in body["items"]] == [("Player", True), ("Parent", False), ("Teammate", False)]
    assert body["items"][0]["read_at"] is not None and body["items"][1]["read_at"] is None
    assert own_read_by(gateway, comms_club["coach"], channel) == [1]
    assert receipts(gateway, comms_club["player"], message["id"]).status_code == 403  # the author's only


def test_receipts_turned_off_by_a_person_or_by_the_club(gateway, comms_club):
    channel = team_channel(gateway, comms_club["coach"])["id"]
    message = say(gateway, comms_club["coach"], channel, "Bring your helmet")
    own = say(gateway, comms_club["player"], channel, "Will do")
    off = gateway.put(f"{SETTINGS}/me", json={"read_receipts": False}, headers=comms_club["player"].headers)
    assert off.status_code == 200 and off.json()["read_receipts"] is False
    gateway.post(f"{BASE}/conversations/{channel}/read", headers=comms_club["player"].headers)

    names = [r["name"] for r in receipts(gateway, comms_club["coach"], message["id"]).json()["items"]]
    assert "Player" not in names  # their reading is not shown …
    assert receipts(gateway, comms_club["player"], own["id"]).status_code == 409  # … and they see nobody's
    assert own_read_by(gateway, comms_club["player"], channel) == [None]

    by_coach = gateway.patch(f"{SETTINGS}/club", json={"read_receipts": False}, headers=comms_club["coach"].headers)
    assert by_coach.status_code == 403
    by_admin = gateway.patch(f"{SETTINGS}/club", json={"read_receipts": False}, headers=comms_club["admin"].headers)
    assert by_admin.status_code == 200 and by_admin.json()["club_read_receipts"] is False
    refused = receipts(gateway, comms_club["coach"], message["id"])
    assert refused.status_code == 409 and "club" in refused.json()["error"]["message"]
    assert own_read_by(gateway, comms_club["coach"], channel) == [None]
