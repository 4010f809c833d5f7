"""RSVPs (a parent answers for a minor), attendance taken by coaches, and iCalendar feeds and exports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from tests.operational.calendar.conftest import API

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


def test_players_and_parents_answer_and_coaches_see_all_answers(gateway, cal_club):
    series = _series(gateway, cal_club)
    url = f"{API}/events/{series}/occurrences/{OCCURRENCE}/rsvp"
    mine = gateway.put(url, json={"response": "going"}, headers=cal_club["teammate"].headers)
    assert mine.status_code == 200, mine.text
    for_minor = gateway.put(
        url,
        json={"response": "not_going", "reason": "School trip", "player_id": str(cal_club["player"].id)},
        headers=cal_club["parent"].headers,
    )
    assert for_minor.status_code == 200, for_minor.text
    assert for_minor.json()["answered_by"] == str(cal_club["parent"].id)
    changed = gateway.put(url, json={"response": "maybe"}, headers=cal_club["teammate"].headers)
    assert changed.json()["response"] == "maybe"
    # nobody answers for someone else, and only invited players answer
    other = gateway.put(
        url, json={"response": "going", "player_id": str(cal_club["player"].id)}, headers=cal_club["teammate"].headers
    )
    assert other.status_code == 403
    assert gateway.put(url, json={"response": "going"}, headers=cal_club["other_player"].headers).status_code == 403

    answers = gateway.get(f"{API}/events/{series}/occurrences/{OCCURRENCE}/rsvps", headers=cal_club["coach"].headers)
    assert sorted((a["response"], a["reason"]) for a in answers.json()) == [
        ("maybe", None),
        ("not_going", "School trip"),
    ]
    own = gateway.get(f"{API}/events/{series}/occurrences/{OCCURRENCE}/rsvps", headers=cal_club["teammate"].headers)
    assert [a["player_id"] for a in own.json()] == [str(cal_club["teammate"].id)]


def test_answers_close_at_the_deadline(gateway, cal_club):
    soon = datetime.now(UTC).replace(microsecond=0, second=0) + timedelta(hours=2)
    series = _series(gateway, cal_club, starts_at=soon.isoformat(), rrule=None, rsvp_deadline_minutes=180)
    occurrence = soon.strftime("%Y-%m-%dT%H:%M:%SZ")
    late = gateway.put(
        f"{API}/events/{series}/occurrences/{occurrence}/rsvp",
        json={"response": "going"},
        headers=cal_club["teammate"].headers,
    )
    assert late.status_code == 409 and late.json()["error"]["message"].startswith("Answers closed at")


def test_coaches_take_attendance(gateway, cal_club):
    series = _series(gateway, cal_club)
    url = f"{API}/events/{series}/occurrences/{OCCURRENCE}/attendance"
    records = [
        {"player_id": str(cal_club["player"].id), "status": "late", "reason": "Bus delayed"},
        {"player_id": str(cal_club["teammate"].id), "status": "present"},
    ]
    taken = gateway.put(url, json={"records": records}, headers=cal_club["coach"].headers)
    assert taken.status_code == 200, taken.text
    assert sorted(r["status"] for r in taken.json()) == ["late", "present"]
    assert gateway.put(url, json={"records": records}, headers=cal_club["other_coach"].headers).status_code == 403
    assert gateway.put(url, json={"records": records}, headers=cal_club["player"].headers).status_code == 403
    stranger = [{"player_id": str(cal_club["other_player"].id), "status": "present"}]
    refused = gateway.put(url, json={"records": stranger}, headers=cal_club["coach"].headers)
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "records.0.player_id"
    bad = gateway.put(
        url,
        json={"records": [{"player_id": records[0]["player_id"], "status": "asleep"}]},
        headers=cal_club["coach"].headers,
    )
    assert bad.status_code == 422


def _parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


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

    assert (
        gateway.post(
            f"{API}/feeds", json={"team_id": str(cal_club.other_team_id)}, headers=cal_club["player"].headers
        ).status_code
        == 403
    )
    revoke = gateway.delete(f"{API}/feeds/{created.json()['id']}", headers=cal_club["player"].headers)
    assert revoke.status_code == 204
    assert gateway.get(url).status_code == 404


def test_personal_feed_and_single_event_export(gateway, cal_club):
    series = _series(gateway, cal_club, rrule=None, location="Rink A")
    created = gateway.post(f"{API}/feeds", json={}, headers=cal_club["teammate"].headers).json()
    summaries = [str(e["SUMMARY"]) for e in _parse(gateway.get(created["url"]).content).walk("VEVENT")]
    assert summaries == ["Ice practice"]
    export = gateway.get(f"{API}/events/{series}/event.ics", headers=cal_club["player"].headers)
    assert export.status_code == 200
    (event,) = _parse(export.content).walk("VEVENT")
    assert str(event["LOCATION"]) == "Rink A" and "RRULE" not in event
    assert gateway.get(f"{API}/events/{series}/event.ics", headers=cal_club["other_player"].headers).status_code == 403
