"""Conversations: the team's channel follows its roster; messages with replies, edits and deletes within a window;
unread counts; what was missed fetched by cursor; new messages delivered live over a WebSocket."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from contracts import users
from tests.messaging import apply_events
from tests.operational.calendar.helpers import envelope
from tests.operational.comms.helpers import BASE
from tests.operational.comms.test_notifications import _sql


def team_channel(gateway, person) -> dict:
    return next(c for c in gateway.get(f"{BASE}/conversations", headers=person.headers).json() if c["kind"] == "team")


def say(gateway, person, conversation_id, body, **extra) -> dict:
    response = gateway.post(
        f"{BASE}/conversations/{conversation_id}/messages", json={"body": body, **extra}, headers=person.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_the_team_channel_has_the_teams_roster_and_follows_it(gateway, comms_club, settings):
    channel = team_channel(gateway, comms_club["coach"])
    assert channel["title"] == "U16"
    assert sorted(channel["members"]) == ["Coach", "Parent", "Player", "Teammate"]
    assert "U16" not in [
        c["title"] for c in gateway.get(f"{BASE}/conversations", headers=comms_club["other_player"].headers).json()
    ]

    removed = users.MembershipRemoved(
        membership_id=uuid.uuid4(), user_id=comms_club["teammate"].id, team_id=comms_club.team_id, role="player"
    )
    apply_events(settings, "comms", [envelope(users.MembershipRemovedEvent, comms_club.org_id, removed)])
    assert "Teammate" not in team_channel(gateway, comms_club["coach"])["members"]


def test_unread_counts_replies_and_reading_up_to_now(gateway, comms_club):
    channel = team_channel(gateway, comms_club["coach"])["id"]
    first = say(gateway, comms_club["coach"], channel, "Bus leaves 07:00")
    say(gateway, comms_club["coach"], channel, "Bring both jerseys", reply_to_id=first["id"])
    assert team_channel(gateway, comms_club["player"])["unread"] == 2
    assert team_channel(gateway, comms_club["coach"])["unread"] == 0  # your own messages are read

    url = f"{BASE}/conversations/{channel}"
    assert gateway.post(f"{url}/read", headers=comms_club["player"].headers).status_code == 204
    assert team_channel(gateway, comms_club["player"])["unread"] == 0
    page = gateway.get(f"{url}/messages", headers=comms_club["player"].headers).json()
    assert [(m["author"], m["reply_to_id"]) for m in page["items"]] == [("Coach", None), ("Coach", first["id"])]


def test_missed_messages_come_by_cursor(gateway, comms_club):
    channel = team_channel(gateway, comms_club["coach"])["id"]
    seen = say(gateway, comms_club["coach"], channel, "one")
    say(gateway, comms_club["coach"], channel, "two")
    say(gateway, comms_club["coach"], channel, "three")
    url = f"{BASE}/conversations/{channel}/messages"
    page = gateway.get(url, params={"after": seen["id"], "limit": 1}, headers=comms_club["player"].headers).json()
    assert [m["body"] for m in page["items"]] == ["two"]
    rest = gateway.get(url, params={"after": page["next_after"]}, headers=comms_club["player"].headers).json()
    assert ([m["body"] for m in rest["items"]], rest["next_after"]) == (["three"], None)

    # what changed while the player was away comes too: edits and deletes of messages they already had
    away = datetime.now(UTC).isoformat()
    gateway.patch(f"{BASE}/messages/{seen['id']}", json={"body": "one, edited"}, headers=comms_club["coach"].headers)
    changed = gateway.get(url, params={"changed_since": away}, headers=comms_club["player"].headers).json()
    assert [(m["id"], m["body"]) for m in changed["items"]] == [(seen["id"], "one, edited")]


def test_a_message_is_changed_by_its_author_within_the_window(gateway, comms_club, settings):
    channel = team_channel(gateway, comms_club["coach"])["id"]
    message = say(gateway, comms_club["coach"], channel, "Practice at 6")
    url = f"{BASE}/messages/{message['id']}"

    assert gateway.patch(url, json={"body": "x"}, headers=comms_club["player"].headers).status_code == 403
    edited = gateway.patch(url, json={"body": "Practice at 7"}, headers=comms_club["coach"].headers)
    assert edited.status_code == 200 and edited.json()["edited_at"]
    deleted = gateway.delete(url, headers=comms_club["coach"].headers).json()
    assert (deleted["body"], deleted["deleted"]) == (None, True)

    late = say(gateway, comms_club["coach"], channel, "Ice is booked")
    _sql(
        settings, "UPDATE comms.messages SET created_at = created_at - interval '1 hour' WHERE id = :id", id=late["id"]
    )
    refused = gateway.patch(f"{BASE}/messages/{late['id']}", json={"body": "?"}, headers=comms_club["coach"].headers)
    assert refused.status_code == 409 and "15 minutes" in refused.json()["error"]["message"]


def test_a_reply_is_to_a_message_of_the_same_conversation(gateway, comms_club):
    channel = team_channel(gateway, comms_club["coach"])["id"]
    other = gateway.post(
        f"{BASE}/conversations",
        json={"kind": "group", "title": "Staff", "member_ids": [str(comms_club["other_coach"].id)]},
        headers=comms_club["coach"].headers,
    ).json()
    elsewhere = say(gateway, comms_club["coach"], other["id"], "Lineups?")
    response = gateway.post(
        f"{BASE}/conversations/{channel}/messages",
        json={"body": "Re", "reply_to_id": elsewhere["id"]},
        headers=comms_club["coach"].headers,
    )
    assert response.status_code == 404 and response.json()["error"]["field"] == "reply_to_id"


def test_a_new_message_arrives_live_on_each_members_websocket(gateway, comms_club):
    channel = team_channel(gateway, comms_club["coach"])["id"]
    live = f"{BASE}/live?access_token={comms_club['player'].token}"
    with gateway.websocket_connect(live) as socket:
        assert socket.receive_json() == {"type": "ready"}
        say(gateway, comms_club["coach"], channel, "Game day!")
        update = socket.receive_json()
    assert (update["type"], update["message"]["body"], update["message"]["author"]) == ("message", "Game day!", "Coach")
