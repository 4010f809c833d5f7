"""What a calendar app computes from our .ics files is what the API lists: every exported event, team feed and person
feed is parsed back with a strict parser (icalendar + recurring_ical_events) and each occurrence's start AND end is
compared with the API's, for series and one-off events across both DST nights, a split series and a moved occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from tests.operational.calendar.helpers import API

ZONE = ZoneInfo("Europe/Stockholm")


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _next_dst_nights() -> tuple[date, date]:
    """The next two nights the clocks change in Europe/Stockholm (one in March, one in October), from today."""
    today = date.today()
    nights = sorted(
        night
        for year in (today.year, today.year + 1, today.year + 2)
        for night in (_last_sunday(year, 3), _last_sunday(year, 10))
        if night > today + timedelta(days=21)
    )
    return nights[0], nights[1]


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def _create(gateway, club, **body) -> dict:
    payload = {"kind": "practice", "title": "Ice", "team_id": str(club.team_id), "duration_minutes": 90, **body}
    payload.setdefault("time_zone", "Europe/Stockholm")
    response = gateway.post(f"{API}/events", json=payload, headers=club["coach"].headers)
    assert response.status_code == 201, response.text
    return response.json()["event"]


def _api_occurrences(gateway, person, window_from, window_to) -> set[tuple[str, datetime, datetime]]:
    params = {"from": window_from.isoformat(), "to": window_to.isoformat(), "limit": 500}
    body = gateway.get(f"{API}/occurrences", params=params, headers=person.headers).json()
    assert body["total"] < 500
    return {
        (o["series_id"], datetime.fromisoformat(o["starts_at"]), datetime.fromisoformat(o["ends_at"]))
        for o in body["items"]
        if not o["cancelled"]
    }


def _ics_occurrences(body: bytes, window_from, window_to) -> set[tuple[str, datetime, datetime]]:
    calendar = icalendar.Calendar.from_ical(body)
    for event in calendar.walk("VEVENT"):
        rule = event.get("RRULE")
        if rule is not None:  # RFC 5545 §3.3.10: UNTIL beside a TZID start is in UTC
            assert "COUNT" in rule or rule["UNTIL"][0].utcoffset() == timedelta(0), rule.to_ical()
            assert b"Z" in rule.to_ical() or "COUNT" in rule
    return {
        (
            str(o["UID"]).split("@")[0],
            o["DTSTART"].dt.astimezone(UTC),
            o["DTEND"].dt.astimezone(UTC),
        )
        for o in recurring_ical_events.of(calendar).between(window_from, window_to)
    }


def test_every_exported_calendar_computes_the_occurrences_the_api_lists(gateway, cal_club):
    first_night, second_night = _next_dst_nights()
    coach = cal_club["coach"].headers
    tuesday_before = first_night - timedelta(days=first_night.weekday() - 1 + 7 * 2)  # two weeks before
    tuesday_after = second_night + timedelta(days=(1 - second_night.weekday()) % 7 + 7 * 2)

    # a weekly 17:00 practice from before the first DST night to after the second, UNTIL given as local time
    weekly = _create(
        gateway,
        cal_club,
        starts_at=_local(tuesday_before, 17).isoformat(),
        rrule=f"FREQ=WEEKLY;UNTIL={tuesday_after:%Y%m%d}T170000",
    )
    until_utc = _local(tuesday_after, 17).astimezone(UTC)
    assert weekly["rrule"] == f"FREQ=WEEKLY;UNTIL={until_utc:%Y%m%dT%H%M%S}Z"
    # one occurrence cancelled, the one before the second night moved across it, the rest split to 18:30
    cancelled = _local(tuesday_before + timedelta(weeks=1), 17).astimezone(UTC)
    moved = _local(second_night - timedelta(days=5), 17).astimezone(UTC)
    split_at = _local(first_night + timedelta(days=9), 17).astimezone(UTC)
    response = gateway.delete(f"{API}/events/{weekly['id']}/occurrences/{cancelled:%Y-%m-%dT%H:%M:%SZ}", headers=coach)
    assert response.status_code == 200, response.text
    moved_to = _local(second_night + timedelta(days=1), 10)
    response = gateway.patch(
        f"{API}/events/{weekly['id']}/occurrences/{moved:%Y-%m-%dT%H:%M:%SZ}",
        json={"starts_at": moved_to.isoformat(), "title": "Moved ice"},
        headers=coach,
    )
    assert response.status_code == 200, response.text
    response = gateway.patch(
        f"{API}/events/{weekly['id']}/occurrences/{split_at:%Y-%m-%dT%H:%M:%SZ}",
        params={"scope": "following"},
        json={"starts_at": _local(split_at.astimezone(ZONE).date(), 18, 30).isoformat()},
        headers=coach,
    )
    assert response.status_code == 200, response.text
    successor = response.json()["event"]
    assert successor["rrule"].endswith("Z") and "UNTIL" in successor["rrule"]

    # overnight events across both nights: a weekly Saturday 22:00 for 8 hours, and one-off ones
    overnight = []
    for night in (first_night, second_night):
        saturday = night - timedelta(days=1)
        overnight.append(
            _create(
                gateway,
                cal_club,
                kind="meeting",
                title="Night bus",
                duration_minutes=480,
                starts_at=_local(saturday - timedelta(weeks=1), 22).isoformat(),
                rrule="FREQ=WEEKLY;COUNT=3",
            )
        )
        overnight.append(
            _create(
                gateway,
                cal_club,
                kind="game",
                title="Night game",
                duration_minutes=480,
                starts_at=_local(saturday, 22).isoformat(),
            )
        )

    window_from = _local(tuesday_before - timedelta(days=7), 0).astimezone(UTC)
    window_to = _local(tuesday_after + timedelta(days=7), 0).astimezone(UTC)
    api = _api_occurrences(gateway, cal_club["coach"], window_from, window_to)
    everything = [weekly, successor, *overnight]
    assert {series_id for series_id, *_ in api} == {e["id"] for e in everything}
    night_game = next(o for o in api if o[0] == overnight[1]["id"])
    assert night_game[2].astimezone(ZONE).hour == 6  # 22:00 for 8 hours: 06:00 on the wall clock

    for event in everything:
        exported = gateway.get(f"{API}/events/{event['id']}/event.ics", headers=cal_club["player"].headers)
        assert exported.status_code == 200, exported.text
        expected = {o for o in api if o[0] == event["id"]}
        assert _ics_occurrences(exported.content, window_from, window_to) == expected, event["title"]

    team_feed = gateway.post(f"{API}/feeds", json={"team_id": str(cal_club.team_id)}, headers=coach).json()["url"]
    person_feed = gateway.post(f"{API}/feeds", json={}, headers=cal_club["player"].headers).json()["url"]
    for url in (team_feed, person_feed):
        feed = gateway.get(url)
        assert feed.status_code == 200, feed.text
        assert _ics_occurrences(feed.content, window_from, window_to) == api
    moved_occurrence = next(o for o in api if o[1] == moved_to.astimezone(UTC))
    assert moved_occurrence[2] == moved_to.astimezone(UTC) + timedelta(minutes=90)
