"""Every id the calendar is sent resolves in the caller's club: another club's id, in a path, a query or a body, is
404 and writes nothing. And a list shows exactly what reading each of its items would."""

from __future__ import annotations

import json
import re

import pytest

from tests.factories import make_club
from tests.operational.calendar.helpers import API, feed_read_models, roster_events

FUTURE = "2027-03-16T17:00:00+01:00"
PAST = "2026-03-17T17:00:00+01:00"
SLOT = {"starts_at": "2027-05-01T10:00:00Z", "ends_at": "2027-05-01T11:00:00Z"}


def _event(gateway, person, **body) -> str:
    payload = {"kind": "practice", "title": "Ice", "starts_at": FUTURE, "duration_minutes": 60, **body}
    response = gateway.post(f"{API}/events", json=payload, headers=person.headers)
    assert response.status_code == 201, response.text
    return response.json()["event"]["id"]


@pytest.fixture
def two_clubs(gateway, cal_club, settings):
    """Club A (the callers) and club B (whose ids they send), each with an event, a rink, a booking and a feed."""
    club_b = make_club(settings)
    feed_read_models(settings, roster_events(club_b))
    ids = {}
    for label, club in (("A", cal_club), ("B", club_b)):
        ids[f"{label}.event"] = _event(gateway, club["coach"], team_id=str(club.team_id), rrule="FREQ=WEEKLY;COUNT=4")
        ids[f"{label}.past_event"] = _event(gateway, club["coach"], team_id=str(club.team_id), starts_at=PAST)
        rink = gateway.post(f"{API}/resources", json={"name": "Rink", "kind": "rink"}, headers=club["admin"].headers)
        ids[f"{label}.resource"] = rink.json()["id"]
        booking = gateway.post(
            f"{API}/bookings",
            json={"resource_id": ids[f"{label}.resource"], "team_id": str(club.team_id), **SLOT},
            headers=club["coach"].headers,
        )
        assert booking.status_code == 201, booking.text
        ids[f"{label}.booking"] = booking.json()["booking"]["id"]
        ids[f"{label}.feed"] = gateway.post(f"{API}/feeds", json={}, headers=club["coach"].headers).json()["id"]
        ids[f"{label}.team"] = str(club.team_id)
        ids |= {f"{label}.{name}": str(person.id) for name, person in club.people.items()}
    ids["occurrence"], ids["past_occurrence"] = "2027-03-16T16:00:00Z", "2026-03-17T16:00:00Z"
    return cal_club, ids


EVENT_BODY = {"kind": "practice", "title": "x", "starts_at": FUTURE, "duration_minutes": 60}
OCCURRENCE = "/events/{A.event}/occurrences/{occurrence}"
# (actor in club A, method, path, body, the field the 404 names) — every id of club B
FOREIGN_IDS = [
    ("admin", "GET", "/events/{B.event}", None, None),
    ("admin", "PATCH", "/events/{B.event}", {"title": "x"}, None),
    ("admin", "DELETE", "/events/{B.event}", None, None),
    ("admin", "GET", "/events/{B.event}/event.ics", None, None),
    ("admin", "PATCH", "/events/{B.event}/occurrences/{occurrence}", {"title": "x"}, None),
    ("admin", "DELETE", "/events/{B.event}/occurrences/{occurrence}", None, None),
    ("player", "PUT", "/events/{B.event}/occurrences/{occurrence}/rsvp", {"response": "going"}, None),
    ("admin", "GET", "/events/{B.event}/occurrences/{occurrence}/rsvps", None, None),
    ("admin", "GET", "/events/{B.event}/occurrences/{occurrence}/attendance", None, None),
    ("coach", "POST", "/events", {**EVENT_BODY, "team_id": "{B.team}"}, "team_id"),
    ("coach", "POST", "/events", {**EVENT_BODY, "player_ids": ["{B.player}"]}, "player_ids.0"),
    ("coach", "POST", "/events", {**EVENT_BODY, "team_id": "{A.team}", "resource_id": "{B.resource}"}, "resource_id"),
    ("coach", "POST", "/events:check", {**EVENT_BODY, "player_ids": ["{B.player}"]}, "player_ids.0"),
    ("coach", "PATCH", "/events/{A.event}", {"player_ids": ["{B.player}"]}, "player_ids.0"),
    ("parent", "PUT", OCCURRENCE + "/rsvp", {"response": "going", "player_id": "{B.player}"}, "player_id"),
    (
        "coach",
        "PUT",
        "/events/{A.past_event}/occurrences/{past_occurrence}/attendance",
        {"records": [{"player_id": "{A.player}", "status": "present"}, {"player_id": "{B.player}", "status": "late"}]},
        "records.1.player_id",
    ),
    ("coach", "GET", "/occurrences?team_id={B.team}", None, "team_id"),
    ("coach", "GET", "/occurrences?player_id={B.player}", None, "player_id"),
    ("coach", "GET", "/events?team_id={B.team}", None, "team_id"),
    ("coach", "GET", "/events?player_id={B.player}", None, "player_id"),
    ("coach", "GET", "/events?created_by={B.coach}", None, "created_by"),
    ("admin", "GET", "/bookings?resource_id={B.resource}", None, "resource_id"),
    ("admin", "GET", "/bookings?team_id={B.team}", None, "team_id"),
    ("admin", "GET", "/bookings/{B.booking}", None, None),
    ("admin", "POST", "/bookings/{B.booking}/cancel", None, None),
    ("admin", "POST", "/bookings", {"resource_id": "{B.resource}", **SLOT}, "resource_id"),
    ("admin", "POST", "/bookings", {"resource_id": "{A.resource}", "team_id": "{B.team}", **SLOT}, "team_id"),
    ("admin", "POST", "/feeds", {"team_id": "{B.team}"}, "team_id"),
    ("admin", "DELETE", "/feeds/{B.feed}", None, None),
]


def _fill(template: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{([A-Za-z_.]+)\}", lambda m: ids[m.group(1)], template)


def test_another_clubs_ids_are_not_found_anywhere_and_nothing_is_written(gateway, two_clubs):
    club, ids = two_clubs
    before = gateway.get(f"{API}/events", headers=club["admin"].headers).json()["total"]
    failures = []
    for actor, method, path, body, field in FOREIGN_IDS:
        kwargs = {"json": json.loads(_fill(json.dumps(body), ids))} if body is not None else {}
        response = gateway.request(method, API + _fill(path, ids), headers=club[actor].headers, **kwargs)
        error = response.json().get("error", {}) if response.status_code != 204 else {}
        if response.status_code != 404 or error.get("code") != "not_found" or error.get("field") != field:
            failures.append((actor, method, path, response.status_code, response.text[:200]))
    assert not failures, failures
    assert gateway.get(f"{API}/events", headers=club["admin"].headers).json()["total"] == before


def test_ids_of_the_own_club_that_the_caller_may_not_use_are_forbidden(gateway, two_clubs):
    club, ids = two_clubs
    ids = {**ids, "A.other_team": str(club.other_team_id)}
    rows = [
        ("other_coach", "GET", "/occurrences?team_id={A.team}", None, "team_id"),
        ("player", "GET", "/events?player_id={A.teammate}", None, "player_id"),
        ("other_coach", "POST", "/events", {**EVENT_BODY, "team_id": "{A.team}"}, "team_id"),
        (
            "player",
            "POST",
            "/events",
            {**EVENT_BODY, "kind": "meeting", "player_ids": ["{A.teammate}"]},
            "player_ids.0",
        ),
        ("other_coach", "POST", "/events", {**EVENT_BODY, "player_ids": ["{A.player}"]}, "player_ids.0"),
        ("other_coach", "POST", "/bookings", {"resource_id": "{A.resource}", "team_id": "{A.team}", **SLOT}, "team_id"),
        ("player", "POST", "/feeds", {"team_id": "{A.other_team}"}, "team_id"),
        ("teammate", "GET", "/bookings/{A.booking}", None, None),
        ("teammate", "DELETE", "/feeds/{A.feed}", None, None),
    ]
    for actor, method, path, body, field in rows:
        kwargs = {"json": json.loads(_fill(json.dumps(body), ids))} if body is not None else {}
        response = gateway.request(method, API + _fill(path, ids), headers=club[actor].headers, **kwargs)
        assert response.status_code == 403, (actor, method, path, response.text)
        assert response.json()["error"]["field"] == field, (path, response.text)


def test_a_list_shows_exactly_what_reading_each_item_would(gateway, cal_club):
    """Events of every visibility and bookings of several people: for each person of the club, the list's ids are
    exactly the ids they can read one by one."""
    team, other_team = str(cal_club.team_id), str(cal_club.other_team_id)
    player, coach, admin = cal_club["player"], cal_club["coach"], cal_club["admin"]
    events = [
        _event(gateway, coach, team_id=team, visibility=visibility)
        for visibility in ("team", "org", "staff", "private")
    ]
    events.append(_event(gateway, cal_club["other_coach"], team_id=other_team))
    events.append(_event(gateway, coach, kind="meeting", player_ids=[str(player.id)], visibility="private"))
    events.append(_event(gateway, coach, kind="meeting", player_ids=[str(player.id)], visibility="staff"))
    events.append(
        _event(gateway, cal_club["parent"], kind="meeting", player_ids=[str(player.id)], visibility="private")
    )
    rink = gateway.post(f"{API}/resources", json={"name": "Rink", "kind": "rink"}, headers=admin.headers).json()["id"]
    bookings = []
    for hour, (person, team_id) in enumerate(((coach, team), (cal_club["other_coach"], other_team), (admin, None))):
        body = {
            "resource_id": rink,
            "starts_at": f"2027-05-01T{10 + hour}:00:00Z",
            "ends_at": f"2027-05-01T{10 + hour}:30:00Z",
        }
        if team_id:
            body["team_id"] = team_id
        bookings.append(gateway.post(f"{API}/bookings", json=body, headers=person.headers).json()["booking"]["id"])

    window = {"from": "2027-03-01T00:00:00Z", "to": "2027-04-01T00:00:00Z", "limit": 500}
    for name, person in cal_club.people.items():
        readable = {e for e in events if gateway.get(f"{API}/events/{e}", headers=person.headers).status_code == 200}
        listed = {
            e["id"] for e in gateway.get(f"{API}/events", params={"limit": 500}, headers=person.headers).json()["items"]
        }
        assert listed == readable, name
        occurring = gateway.get(f"{API}/occurrences", params=window, headers=person.headers).json()["items"]
        assert {o["series_id"] for o in occurring} == readable, name
        visible = {b for b in bookings if gateway.get(f"{API}/bookings/{b}", headers=person.headers).status_code == 200}
        shown = {b["id"] for b in gateway.get(f"{API}/bookings", headers=person.headers).json()["items"]}
        assert shown == visible, name
    # and the rule itself: a player reads the team's events, not the staff ones; a coach reads the staff ones too
    assert events[2] not in {e["id"] for e in gateway.get(f"{API}/events", headers=player.headers).json()["items"]}
    assert events[2] in {e["id"] for e in gateway.get(f"{API}/events", headers=coach.headers).json()["items"]}
