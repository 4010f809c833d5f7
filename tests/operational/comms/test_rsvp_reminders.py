"""RSVP reminders: 48 hours before an occurrence, its players who have not answered (and a minor's guardians) are
reminded, once per person and occurrence however often the job runs; a cancelled occurrence reminds nobody."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from operational.comms.config import CommsSettings
from operational.comms.rsvp.service import send_rsvp_reminders
from operational.kit.db import create_engine
from tests.messaging import drain_and_consume
from tests.operational.comms.helpers import CAL, notifications, schedule


def remind(settings, now: datetime | None = None) -> int:
    comms = CommsSettings(database_url=settings.database_url, var_dir=settings.var_dir, log_json=False)

    async def go() -> int:
        engine = create_engine(settings.database_url, pool_size=1)
        try:
            return await send_rsvp_reminders(engine, comms, now)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def reminders(gateway, person) -> list[str]:
    return [item["title"] for item in notifications(gateway, person)["items"] if item["kind"] == "rsvp_reminder"]


def test_who_has_not_answered_is_reminded_once_and_a_minors_guardian_too(gateway, comms_club, settings, quiet_hours):
    soon = (datetime.now(UTC) + timedelta(hours=24)).replace(second=0, microsecond=0)
    series = schedule(gateway, comms_club, title="Morning ice", starts_at=soon.isoformat())["id"]
    schedule(gateway, comms_club, title="Later ice", starts_at=(soon + timedelta(days=3)).isoformat())
    occurrence = soon.strftime("%Y-%m-%dT%H:%M:%SZ")
    answer = gateway.put(
        f"{CAL}/events/{series}/occurrences/{occurrence}/rsvp",
        json={"response": "going"},
        headers=comms_club["teammate"].headers,
    )
    assert answer.status_code == 200, answer.text
    drain_and_consume(settings, services=["comms"])

    assert remind(settings) > 0
    assert remind(settings) == 0  # a second run (or worker) reminds nobody twice
    assert reminders(gateway, comms_club["player"]) == ["Will you come? Morning ice"]  # silent, a minor
    assert reminders(gateway, comms_club["parent"]) == ["Will you come? Morning ice"]  # the minor's guardian
    assert reminders(gateway, comms_club["teammate"]) == []  # answered
    assert reminders(gateway, comms_club["coach"]) == []


def test_a_cancelled_occurrence_reminds_nobody(gateway, comms_club, settings, quiet_hours):
    soon = (datetime.now(UTC) + timedelta(hours=30)).replace(second=0, microsecond=0)
    series = schedule(gateway, comms_club, title="Cancelled ice", starts_at=soon.isoformat())["id"]
    cancelled = gateway.delete(f"{CAL}/events/{series}", headers=comms_club["coach"].headers)
    assert cancelled.status_code in (200, 204), cancelled.text
    drain_and_consume(settings, services=["comms"])
    remind(settings)
    assert reminders(gateway, comms_club["player"]) == []
