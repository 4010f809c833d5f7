"""The system status page's figures: health, snapshot age, outbox and stream backlogs, dead letters with reasons."""

from __future__ import annotations

import asyncio
import time
import uuid

from contracts.envelope import DEAD_LETTER_PREFIX
from messaging.consumer import REASON_HEADER
from messaging.nats import connect, ensure_streams
from tests.factories import make_platform_admin

STATUS = "/api/v1/admin/status"


async def _dead_letter(url: str, reason: str) -> None:
    client = await connect(url, name="tests-dead-letter")
    try:
        js = client.jetstream()
        await ensure_streams(js)
        headers = {REASON_HEADER: reason, "Hub-Original-Subject": "hub.training.wellness.submitted",
                   "Hub-Consumer": "warehouse"}  # fmt: skip
        await js.publish(DEAD_LETTER_PREFIX + "hub.training.wellness.submitted", b"{}", headers=headers)
    finally:
        await client.close()


def _status(gateway, headers) -> dict:
    """The status once the gateway's NATS connection is up (it connects in the background), within 10 s."""
    deadline = time.monotonic() + 10
    while True:
        body = gateway.get(STATUS, headers=headers).json()
        healthy = {c["component"]: c["healthy"] for c in body["components"]}
        if healthy["NATS JetStream"] or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def test_a_platform_admin_sees_health_backlogs_and_dead_letters_with_reasons(gateway, settings, club):
    reason = f"payload breaks its contract: wellness_date missing ({uuid.uuid4().hex[:6]})"
    asyncio.run(_dead_letter(settings.nats_url, reason))

    body = _status(gateway, make_platform_admin(settings).headers)

    healthy = {c["component"]: c["healthy"] for c in body["components"]}
    assert healthy["Postgres"] and healthy["NATS JetStream"]
    assert all(c["measured_at"] for c in body["components"])
    assert {o["service"] for o in body["outboxes"]} >= {"users", "training", "calendar", "medical", "admin"}
    assert all(o["waiting"] >= 0 and o["measured_at"] for o in body["outboxes"])
    assert body["stream"]["available"] and body["stream"]["dead_letters"] >= 1
    assert reason in [d["reason"] for d in body["stream"]["recent_dead_letters"]]
    assert body["snapshot"]["measured_at"]


def test_club_admins_see_counts_but_not_the_reasons_and_others_nothing(gateway, settings, club):
    asyncio.run(_dead_letter(settings.nats_url, "another club's record failed"))

    body = _status(gateway, club["admin"].headers)
    assert body["stream"]["dead_letters"] >= 1 and body["stream"]["recent_dead_letters"] == []
    for person in ("coach", "player", "medic"):
        assert gateway.get(STATUS, headers=club[person].headers).status_code == 403
