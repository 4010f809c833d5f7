"""iCalendar feeds and exports: a feed shows what its owner may read now, and stops when they no longer may."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import icalendar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from contracts import users
from operational.calendar.models import FeedToken
from operational.kit.db import sqlalchemy_url
from tests.operational.calendar.helpers import API, envelope, feed_read_models

OCCURRENCE = "2027-03-23T16:00:00Z"


def _series(gateway, club, **extra):
    body = {
        "kind": "practice",
        "title": "Ice practice",
        "team_id": str(club.team_id),
        "starts_at": "2027-03-16T17:00:00+01:00",
        "duration_minutes": 90,
        "time_zone": "Europe/Stockholm",
        "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=4",
        **extra,
    }
    response = gateway.post(f"{API}/events", json=body, headers=club["coach"].headers)
    assert response.status_code == 201, response.text
    return response.json()["event"]["id"]


def _soon(days: int = 3) -> str:
    """A start a few days ahead (feeds show the coming 400 days)."""
    return (datetime.now(UTC) + timedelta(days=days)).replace(hour=16, minute=0, second=0, microsecond=0).isoformat()


def _parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def _summaries(gateway, url) -> list[str]:
    response = gateway.get(url)
    assert response.status_code == 200, response.text
    return sorted(str(e["SUMMARY"]) for e in _parse(response.content).walk("VEVENT"))


def _revoked_at(settings, feed_id: str):
    async def go():
        engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
        try:
            async with engine.connect() as conn:
                return await conn.scalar(select(FeedToken.revoked_at).where(FeedToken.id == uuid.UUID(feed_id)))
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_team_feed_has_the_series_with_its_exceptions_until_revoked(gateway, cal_club):
    series = _series(gateway, cal_club, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=6")
    coach = cal_club["coach"].headers
    gateway.delete(f"{API}/events/{series}/occurrences/{OCCURRENCE}", headers=coach)
    gateway.patch(
        f"{API}/events/{series}/occurrences/2027-03-30T15:00:00Z",
        json={"starts_at": "2027-03-30T19:00:00+02:00", "title": "Late ice"},
        headers=coach,
    )
    created = gateway.post(f"{API}/feeds", json={"team_id": str(cal_club.team_id)}, headers=cal_club["player"].headers)
    assert created.status_code == 201, created.text
    url = created.json()["url"]
    feed = gateway.get(url)  # no bearer token: calendar apps only have the URL
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    events = [c for c in _parse(feed.content).walk("VEVENT") if c["UID"].startswith(series)]
    master = next(e for e in events if "RRULE" in e)
    assert master["RRULE"]["COUNT"] == [6] and master["RRULE"]["FREQ"] == ["WEEKLY"]
    assert master["DTSTART"].dt.hour == 17 and str(master["DTSTART"].dt.tzinfo) == "Europe/Stockholm"
    exdates = [
        d.dt
        for exdate in ([master["EXDATE"]] if not isinstance(master["EXDATE"], list) else master["EXDATE"])
        for d in exdate.dts
    ]
    assert [d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M") for d in exdates] == ["2027-03-23T16:00"]
    moved = next(e for e in events if "RECURRENCE-ID" in e)
    assert moved["RECURRENCE-ID"].dt.astimezone(UTC).strftime("%d %H:%M") == "30 15:00"
    assert (moved["SUMMARY"], moved["DTSTART"].dt.hour) == ("Late ice", 19)

    other_team = gateway.post(
        f"{API}/feeds", json={"team_id": str(cal_club.other_team_id)}, headers=cal_club["player"].headers
    )
    assert other_team.status_code == 403
    assert (
        gateway.delete(f"{API}/feeds/{created.json()['id']}", headers=cal_club["teammate"].headers).status_code == 403
    )
    revoke = gateway.delete(f"{API}/feeds/{created.json()['id']}", headers=cal_club["player"].headers)
    assert revoke.status_code == 204
    assert gateway.get(url).status_code == 404


def test_personal_feed_and_single_event_export(gateway, cal_club):
    series = _series(gateway, cal_club, rrule=None, location="Rink A", starts_at=_soon())
    created = gateway.post(f"{API}/feeds", json={}, headers=cal_club["teammate"].headers).json()
    assert _summaries(gateway, created["url"]) == ["Ice practice"]
    export = gateway.get(f"{API}/events/{series}/event.ics", headers=cal_club["player"].headers)
    assert export.status_code == 200
    (event,) = _parse(export.content).walk("VEVENT")
    assert str(event["LOCATION"]) == "Rink A" and "RRULE" not in event
    assert gateway.get(f"{API}/events/{series}/event.ics", headers=cal_club["other_player"].headers).status_code == 403


def test_a_team_feed_stops_when_its_owner_leaves_the_team(gateway, cal_club, settings):
    _series(gateway, cal_club, rrule=None, starts_at=_soon())
    teammate = cal_club["teammate"]
    created = gateway.post(f"{API}/feeds", json={"team_id": str(cal_club.team_id)}, headers=teammate.headers).json()
    assert _summaries(gateway, created["url"]) == ["Ice practice"]

    removed = users.MembershipRemoved(
        membership_id=uuid.uuid4(), user_id=teammate.id, team_id=cal_club.team_id, role="player"
    )
    feed_read_models(settings, [envelope(users.MembershipRemovedEvent, cal_club.org_id, removed)])

    gone = gateway.get(created["url"])
    assert gone.status_code == 404 and "no longer has access" in gone.json()["error"]["message"]
    assert _revoked_at(settings, created["id"]) is not None  # and the link stays dead if they come back


def test_a_personal_feed_follows_what_its_owner_may_read_now_and_stops_when_they_are_deactivated(
    gateway, cal_club, settings
):
    meeting = {
        "kind": "meeting",
        "title": "Parent meeting about Player",
        "player_ids": [str(cal_club["player"].id)],
        "starts_at": _soon(4),
        "duration_minutes": 30,
        "visibility": "private",
    }
    assert gateway.post(f"{API}/events", json=meeting, headers=cal_club["coach"].headers).status_code == 201
    parent = cal_club["parent"]
    created = gateway.post(f"{API}/feeds", json={}, headers=parent.headers).json()
    assert _summaries(gateway, created["url"]) == ["Parent meeting about Player"]  # their minor's event

    unlinked = users.GuardianUnlinked(
        link_id=uuid.uuid4(), guardian_id=parent.id, minor_id=cal_club["player"].id, reason="removed"
    )
    feed_read_models(settings, [envelope(users.GuardianUnlinkedEvent, cal_club.org_id, unlinked)])
    assert _summaries(gateway, created["url"]) == []  # served as the parent is now: no longer their minor's

    deactivated = users.UserDeactivated(user_id=parent.id, reason="left the club")
    feed_read_models(settings, [envelope(users.UserDeactivatedEvent, cal_club.org_id, deactivated)])
    assert gateway.get(created["url"]).status_code == 404
    assert _revoked_at(settings, created["id"]) is not None
