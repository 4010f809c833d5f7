"""Announcements that must be acknowledged: the team hears of them, players (or a minor's guardian) acknowledge, the
coach's report fills as they do, and those who have not are reminded once a day until the deadline."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from operational.comms.announcements.service import send_reminders
from operational.comms.config import CommsSettings
from operational.kit.db import create_engine
from tests.operational.comms.helpers import BASE, notifications

DEADLINE = "2027-04-01T18:00:00+02:00"


def announce(gateway, club, who="coach", **overrides):
    body = {
        "team_id": str(club.team_id),
        "title": "Medical forms",
        "body": "Hand in the forms before the season.",
        "requires_acknowledgement": True,
        "deadline": DEADLINE,
        **overrides,
    }
    return gateway.post(f"{BASE}/announcements", json=body, headers=club[who].headers)


def report(gateway, club, announcement_id, who="coach"):
    return gateway.get(f"{BASE}/announcements/{announcement_id}/report", headers=club[who].headers)


def test_the_report_fills_as_players_and_guardians_acknowledge(gateway, comms_club):
    created = announce(gateway, comms_club)
    assert created.status_code == 201, created.text
    announcement = created.json()
    assert (announcement["team"], announcement["author"]) == ("U16", "Coach")

    before = report(gateway, comms_club, announcement["id"]).json()
    assert (before["acknowledged"], before["players"], before["not_acknowledged"]) == (0, 2, ["Player", "Teammate"])

    url = f"{BASE}/announcements/{announcement['id']}/acknowledge"
    by_parent = gateway.post(
        url, json={"player_id": str(comms_club["player"].id)}, headers=comms_club["parent"].headers
    )
    assert by_parent.status_code == 200 and by_parent.json()["acknowledged_for"] == ["Player"]
    assert gateway.post(url, headers=comms_club["teammate"].headers).status_code == 200

    after = report(gateway, comms_club, announcement["id"]).json()
    assert (after["acknowledged"], after["not_acknowledged"]) == (2, [])
    rows = {row["player"]: row for row in after["rows"]}
    assert (rows["Player"]["acknowledged_by"], rows["Player"]["on_time"]) == ("Parent", True)
    assert rows["Teammate"]["acknowledged_by"] == "Teammate"


def test_the_team_hears_of_it_and_only_staff_see_the_report(gateway, comms_club):
    announcement = announce(gateway, comms_club).json()
    newest = notifications(gateway, comms_club["parent"])["items"][0]
    assert newest["title"] == "New announcement: Medical forms"
    assert newest["body"] == "U16: Medical forms. Acknowledge it by Thursday 1 April 18:00."
    assert report(gateway, comms_club, announcement["id"], "player").status_code == 403
    assert report(gateway, comms_club, announcement["id"], "other_coach").status_code == 403
    assert (
        gateway.get(
            f"{BASE}/announcements/{announcement['id']}", headers=comms_club["other_player"].headers
        ).status_code
        == 403
    )


def test_who_may_post_and_what_is_refused(gateway, comms_club):
    assert announce(gateway, comms_club, who="player").status_code == 403
    assert announce(gateway, comms_club, who="other_coach").status_code == 403
    late = announce(gateway, comms_club, deadline="2020-01-01T00:00:00Z")
    assert late.status_code == 422 and late.json()["error"]["field"] == "deadline"
    needless = announce(gateway, comms_club, requires_acknowledgement=False)
    assert needless.status_code == 422 and needless.json()["error"]["field"] == "deadline"


def test_a_teammate_cannot_acknowledge_for_someone_else(gateway, comms_club):
    announcement = announce(gateway, comms_club).json()
    url = f"{BASE}/announcements/{announcement['id']}/acknowledge"
    response = gateway.post(
        url, json={"player_id": str(comms_club["player"].id)}, headers=comms_club["teammate"].headers
    )
    assert response.status_code == 403


def test_those_who_have_not_acknowledged_are_reminded_once_a_day(gateway, comms_club, settings):
    announcement = announce(gateway, comms_club).json()
    gateway.post(f"{BASE}/announcements/{announcement['id']}/acknowledge", headers=comms_club["teammate"].headers)
    comms = CommsSettings(database_url=settings.database_url, var_dir=settings.var_dir, log_json=False)

    async def remind(at: datetime) -> int:
        engine = create_engine(settings.database_url, pool_size=1)
        try:
            return await send_reminders(engine, comms, now=at)
        finally:
            await engine.dispose()

    tomorrow = datetime.now(UTC) + timedelta(days=1, hours=1)
    asyncio.run(remind(datetime.now(UTC)))  # too soon: nobody is reminded on the day it was posted
    asyncio.run(remind(tomorrow))
    asyncio.run(remind(tomorrow + timedelta(minutes=5)))  # the same day again: no second reminder

    def reminders(who):
        return [n for n in notifications(gateway, comms_club[who])["items"] if n["kind"] == "announcement_reminder"]

    assert len(reminders("player")) == 1 and len(reminders("parent")) == 1
    assert reminders("player")[0]["title"] == "Please acknowledge: Medical forms"
    assert reminders("teammate") == []
