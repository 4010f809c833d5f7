"""Edits and deletes within the club's window keep every earlier text for the safeguarding audit (club admins read
it; nobody can rewrite it); a deleted message shows as deleted; both changes are reported without their text."""

from __future__ import annotations

import psycopg
import pytest

from operational.kit.db import libpq_url
from tests.operational.comms.helpers import BASE
from tests.operational.comms.test_conversations import say, team_channel
from tests.operational.comms.test_events import outbox


def test_earlier_texts_are_kept_for_club_admins_and_cannot_be_rewritten(gateway, comms_club, settings):
    channel = team_channel(gateway, comms_club["coach"])["id"]
    message = say(gateway, comms_club["coach"], channel, "Practice at 6")
    url = f"{BASE}/messages/{message['id']}"
    assert gateway.patch(url, json={"body": "Practice at 7"}, headers=comms_club["coach"].headers).status_code == 200
    assert gateway.delete(url, headers=comms_club["coach"].headers).status_code == 200

    shown = gateway.get(f"{BASE}/conversations/{channel}/messages", headers=comms_club["player"].headers).json()
    assert [(m["body"], m["deleted"]) for m in shown["items"]] == [(None, True)]
    history = gateway.get(f"{url}/history", headers=comms_club["admin"].headers)
    assert history.status_code == 200, history.text
    assert [(r["action"], r["body"]) for r in history.json()["revisions"]] == [
        ("edited", "Practice at 6"),
        ("deleted", "Practice at 7"),
    ]
    assert gateway.get(f"{url}/history", headers=comms_club["coach"].headers).status_code == 403

    edited = [e["data"] for e in outbox(settings, comms_club, "comms.message.edited")]
    deleted = [e["data"] for e in outbox(settings, comms_club, "comms.message.deleted")]
    assert [d["message_id"] for d in edited + deleted] == [message["id"], message["id"]]
    assert "Practice" not in str(edited + deleted)
    with (
        psycopg.connect(libpq_url(settings.database_url), autocommit=True) as conn,
        pytest.raises(psycopg.errors.RaiseException, match="never rewritten"),
    ):
        conn.execute("UPDATE comms.message_revisions SET body = 'nothing' WHERE message_id = %s", (message["id"],))


def test_the_club_sets_how_long_a_message_can_be_changed(gateway, comms_club):
    settings_url = f"{BASE}/conversation-settings"
    assert gateway.get(settings_url, headers=comms_club["coach"].headers).json()["edit_window_minutes"] == 15
    changed = gateway.patch(f"{settings_url}/club", json={"edit_window_minutes": 0},
                            headers=comms_club["admin"].headers)  # fmt: skip
    assert changed.status_code == 200 and changed.json()["edit_window_minutes"] == 0

    channel = team_channel(gateway, comms_club["coach"])["id"]
    message = say(gateway, comms_club["coach"], channel, "Practice at 6")
    refused = gateway.patch(f"{BASE}/messages/{message['id']}", json={"body": "x"}, headers=comms_club["coach"].headers)
    assert refused.status_code == 409 and "0 minutes" in refused.json()["error"]["message"]
