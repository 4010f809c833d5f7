"""Events for the warehouse, recorded in the outbox with the change: a message sent (never its text), an announcement
published and acknowledged (the first acknowledgement only), and each notification's outcome on its channel."""

from __future__ import annotations

from datetime import datetime

from tests.messaging import drain_and_consume
from tests.operational.comms.helpers import schedule
from tests.operational.comms.mail_server import free_port
from tests.operational.comms.test_announcements import DEADLINE, announce
from tests.operational.comms.test_conversations import say, team_channel
from tests.operational.comms.test_mail import _email_states, addresses, comms_settings, deliver, prefer
from tests.operational.comms.test_notifications import _sql

BASE = "/api/v1/comms"


def outbox(settings, club, subject: str) -> list[dict]:
    rows = _sql(
        settings,
        "SELECT envelope FROM comms.outbox WHERE subject = :subject AND envelope->>'org_id' = :org ORDER BY id",
        subject=f"hub.{subject}",
        org=str(club.org_id),
    )
    return [row[0] for row in rows]


def test_a_message_is_reported_without_its_text(gateway, comms_club, settings):
    channel = team_channel(gateway, comms_club["coach"])
    message = say(gateway, comms_club["coach"], channel["id"], "Bring both jerseys tonight")

    (event,) = outbox(settings, comms_club, "comms.message.sent")
    assert event["data"] == {
        "message_id": message["id"],
        "conversation_id": channel["id"],
        "conversation_kind": "team",
        "team_id": str(comms_club.team_id),
        "sender_id": str(comms_club["coach"].id),
        "attachment_count": 0,
    }
    assert "jerseys" not in str(event)


def test_an_announcement_and_its_first_acknowledgement_are_reported(gateway, comms_club, settings):
    announcement = announce(gateway, comms_club).json()
    url = f"{BASE}/announcements/{announcement['id']}/acknowledge"
    assert gateway.post(url, headers=comms_club["teammate"].headers).status_code == 200
    assert gateway.post(url, headers=comms_club["teammate"].headers).status_code == 200

    (published,) = outbox(settings, comms_club, "comms.announcement.published")
    assert published["data"]["team_id"] == str(comms_club.team_id)
    assert published["data"]["requires_ack"] is True and datetime.fromisoformat(
        published["data"]["deadline"]
    ) == datetime.fromisoformat(DEADLINE)
    (acknowledged,) = outbox(settings, comms_club, "comms.announcement.acknowledged")
    assert acknowledged["data"]["player_id"] == str(comms_club["teammate"].id)
    assert acknowledged["data"]["acknowledged_by"] == str(comms_club["teammate"].id)
    in_app = [e["data"] for e in outbox(settings, comms_club, "comms.notification.delivered")]
    assert in_app and all((d["channel"], d["category"], d["outcome"]) == ("in_app", "announcement", "sent")
                          for d in in_app)  # fmt: skip


def test_an_email_is_reported_once_when_it_finally_fails(gateway, comms_club, settings, quiet_hours):
    prefer(gateway, comms_club["parent"], email=addresses(comms_club)["parent"])
    schedule(gateway, comms_club)
    drain_and_consume(settings, services=["comms"])
    nowhere = comms_settings(settings, mail_transport="smtp", smtp_port=free_port(), smtp_starttls=False,
                             smtp_timeout_seconds=2, mail_attempts=2)  # fmt: skip

    deliver(nowhere)
    assert _email_states(settings, comms_club, "parent") == [("pending", 1)]
    emails = [
        e for e in outbox(settings, comms_club, "comms.notification.delivered") if e["data"]["channel"] == "email"
    ]
    assert emails == []
    deliver(nowhere)
    emails = [
        e for e in outbox(settings, comms_club, "comms.notification.delivered") if e["data"]["channel"] == "email"
    ]
    parent = [e["data"] for e in emails if e["data"]["recipient_id"] == str(comms_club["parent"].id)]
    assert [(d["category"], d["outcome"]) for d in parent] == [("schedule", "failed")]
