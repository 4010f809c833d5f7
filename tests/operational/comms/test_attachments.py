"""Attachments: uploaded to a conversation by a member, sent with a message, told by their content and size, kept
through the storage port, and served only to those who may read the conversation (a minor member's guardian
included); gone with a deleted message."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from contracts.users import UserAnonymized, UserAnonymizedEvent
from tests.messaging import apply_events
from tests.operational.calendar.helpers import envelope
from tests.operational.comms.helpers import BASE
from tests.operational.comms.test_conversations import say

PNG = b"\x89PNG\r\n\x1a\n" + b"lineup for Saturday" + b"\x00" * 64


@pytest.fixture
def api(settings, comms_club, monkeypatch, tmp_path):
    """The gateway with attachments in a directory of the test's own, at most 1 KiB each."""
    from operational.comms.config import settings_from_environment
    from operational.gateway import create_app

    monkeypatch.setenv("HUB_COMMS_ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    monkeypatch.setenv("HUB_COMMS_MAX_ATTACHMENT_BYTES", "1024")
    settings_from_environment.cache_clear()  # the worker's consumer reads them too
    with TestClient(create_app(settings)) as client:
        yield client
    monkeypatch.undo()
    settings_from_environment.cache_clear()


def group(api, club, who, *others) -> str:
    body = {"kind": "group", "title": "Carpool", "member_ids": [str(club[o].id) for o in others]}
    response = api.post(f"{BASE}/conversations", json=body, headers=club[who].headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def upload(api, person, conversation_id, content=PNG, name="lineup.png"):
    return api.post(f"{BASE}/conversations/{conversation_id}/attachments",
                    files={"file": (name, content, "text/plain")}, headers=person.headers)  # fmt: skip


def test_a_file_goes_with_a_message_to_the_members_and_a_minors_guardian_only(api, comms_club, tmp_path):
    conversation = group(api, comms_club, "teammate", "player")
    uploaded = upload(api, comms_club["teammate"], conversation)
    assert uploaded.status_code == 201, uploaded.text
    file = uploaded.json()
    assert (file["content_type"], file["size_bytes"], file["message_id"]) == ("image/png", len(PNG), None)
    url = f"{BASE}/attachments/{file['id']}"
    assert api.get(url, headers=comms_club["player"].headers).status_code == 403  # not sent yet: the uploader's only
    stored = [p for p in (tmp_path / "attachments").rglob("*") if p.is_file()]
    assert [p.read_bytes() for p in stored] == [PNG]  # kept through the storage port, named by ids only
    assert str(comms_club.org_id) in str(stored[0]) and "lineup" not in str(stored[0])

    message = say(api, comms_club["teammate"], conversation, "", attachment_ids=[file["id"]])
    assert [a["filename"] for a in message["attachments"]] == ["lineup.png"]
    listed = api.get(f"{BASE}/conversations/{conversation}/messages", headers=comms_club["player"].headers).json()
    assert listed["items"][0]["attachments"][0]["id"] == file["id"]
    for reader in ("player", "parent"):  # a member, and the minor member's guardian
        downloaded = api.get(url, headers=comms_club[reader].headers)
        assert downloaded.status_code == 200 and downloaded.content == PNG
        assert downloaded.headers["content-type"] == "image/png"
    for outsider in ("coach", "other_player"):
        assert api.get(url, headers=comms_club[outsider].headers).status_code == 403

    again = api.post(f"{BASE}/conversations/{conversation}/messages",
                     json={"attachment_ids": [file["id"]]}, headers=comms_club["teammate"].headers)  # fmt: skip
    assert again.status_code == 409 and again.json()["error"]["field"] == "attachment_ids.0"
    deleted = api.delete(f"{BASE}/messages/{message['id']}", headers=comms_club["teammate"].headers).json()
    assert (deleted["deleted"], deleted["attachments"]) == (True, [])
    assert api.get(url, headers=comms_club["player"].headers).status_code == 404


def test_a_file_is_told_by_its_content_and_size_and_sent_only_by_its_uploader(api, comms_club):
    conversation = group(api, comms_club, "teammate", "player")
    refused = upload(api, comms_club["teammate"], conversation, content=b"MZ\x90\x00 not a picture", name="a.png")
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "file"
    too_big = upload(api, comms_club["teammate"], conversation, content=PNG + b"\x00" * 1024)
    assert too_big.status_code == 413 and "1,024 bytes" in too_big.json()["error"]["message"]
    outsider = upload(api, comms_club["other_player"], conversation)
    assert outsider.status_code == 403

    file = upload(api, comms_club["teammate"], conversation).json()
    body = {"body": "mine now", "attachment_ids": [file["id"]]}
    stolen = api.post(f"{BASE}/conversations/{conversation}/messages", json=body, headers=comms_club["player"].headers)
    assert stolen.status_code == 404 and stolen.json()["error"]["field"] == "attachment_ids.0"
    empty = api.post(f"{BASE}/conversations/{conversation}/messages", json={"body": " "},
                     headers=comms_club["teammate"].headers)  # fmt: skip
    assert empty.status_code == 422


def test_an_erased_persons_files_are_removed_from_the_storage(api, comms_club, settings, tmp_path):
    conversation = group(api, comms_club, "teammate", "player")
    file = upload(api, comms_club["teammate"], conversation).json()
    say(api, comms_club["teammate"], conversation, "Lineup", attachment_ids=[file["id"]])
    erased = envelope(UserAnonymizedEvent, comms_club.org_id, UserAnonymized(user_id=comms_club["teammate"].id))

    apply_events(settings, "comms", [erased])

    assert api.get(f"{BASE}/attachments/{file['id']}", headers=comms_club["player"].headers).status_code == 404
    assert [p for p in (tmp_path / "attachments").rglob("*") if p.is_file()] == []
