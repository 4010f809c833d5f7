"""RSVPs (a parent answers for a minor) and attendance taken by coaches once the occurrence has started; the sheets
list everyone expected, with names, their answer or none yet, and totals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.operational.calendar.helpers import API

OCCURRENCE = "2027-03-23T16:00:00Z"
# a series that has already happened: attendance is taken for occurrences that have started
PAST = {"starts_at": "2026-03-17T17:00:00+01:00", "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=4"}
PAST_OCCURRENCE = "2026-03-24T16:00:00Z"


def _series(gateway, club, by="coach", **extra):
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
    response = gateway.post(f"{API}/events", json=body, headers=club[by].headers)
    assert response.status_code == 201, response.text
    return response.json()["event"]["id"]


def test_players_and_parents_answer_and_the_sheet_shows_who_has_not(gateway, cal_club):
    # a club admin invites a player of another team too
    series = _series(gateway, cal_club, by="admin", player_ids=[str(cal_club["other_player"].id)])
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
    uninvited = gateway.put(url, json={"response": "going"}, headers=cal_club["admin"].headers)
    assert (
        uninvited.status_code == 403
        and uninvited.json()["error"]["message"] == "That player is not invited to this event."
    )

    sheet = gateway.get(f"{API}/events/{series}/occurrences/{OCCURRENCE}/rsvps", headers=cal_club["coach"].headers)
    assert sheet.status_code == 200, sheet.text
    body = sheet.json()
    assert [(line["name"], line["response"], line["reason"]) for line in body["items"]] == [
        ("Other Player", None, None),  # listed, has not answered
        ("Player", "not_going", "School trip"),
        ("Teammate", "maybe", None),
    ]
    assert body["totals"] == {"going": 0, "not_going": 1, "maybe": 1, "no_answer": 1}
    assert (body["total"], body["limit"], body["offset"]) == (3, 50, 0)
    page = gateway.get(
        f"{API}/events/{series}/occurrences/{OCCURRENCE}/rsvps",
        params={"limit": 1, "offset": 1},
        headers=cal_club["coach"].headers,
    ).json()
    assert [line["name"] for line in page["items"]] == ["Player"] and page["totals"] == body["totals"]

    own = gateway.get(f"{API}/events/{series}/occurrences/{OCCURRENCE}/rsvps", headers=cal_club["teammate"].headers)
    assert [line["player_id"] for line in own.json()["items"]] == [str(cal_club["teammate"].id)]
    assert own.json()["totals"] == {"going": 0, "not_going": 0, "maybe": 1, "no_answer": 0}
    childs = gateway.get(f"{API}/events/{series}/occurrences/{OCCURRENCE}/rsvps", headers=cal_club["parent"].headers)
    assert [line["name"] for line in childs.json()["items"]] == ["Player"]


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


def test_coaches_take_attendance_once_the_occurrence_has_started(gateway, cal_club):
    series = _series(gateway, cal_club, **PAST)
    url = f"{API}/events/{series}/occurrences/{PAST_OCCURRENCE}/attendance"
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

    sheet = gateway.get(url, headers=cal_club["coach"].headers).json()
    assert [(line["name"], line["status"]) for line in sheet["items"]] == [("Player", "late"), ("Teammate", "present")]
    assert sheet["totals"] == {"present": 1, "absent": 0, "late": 1, "excused": 0, "not_recorded": 0}
    # the next practice: nobody recorded yet, and everyone expected is listed
    next_one = gateway.get(
        f"{API}/events/{series}/occurrences/2026-03-31T15:00:00Z/attendance", headers=cal_club["coach"].headers
    ).json()
    assert next_one["totals"]["not_recorded"] == 2 and {line["status"] for line in next_one["items"]} == {None}


def test_excused_needs_a_reason(gateway, cal_club):
    series = _series(gateway, cal_club, **PAST)
    url = f"{API}/events/{series}/occurrences/{PAST_OCCURRENCE}/attendance"
    player = str(cal_club["player"].id)
    bare = gateway.put(
        url, json={"records": [{"player_id": player, "status": "excused"}]}, headers=cal_club["coach"].headers
    )
    assert bare.status_code == 422 and "needs a reason" in bare.json()["error"]["message"]
    assert bare.json()["error"]["field"] == "records.0"
    with_reason = {"player_id": player, "status": "excused", "reason": "Ill"}
    assert gateway.put(url, json={"records": [with_reason]}, headers=cal_club["coach"].headers).status_code == 200


def test_attendance_before_the_occurrence_starts_is_refused_in_the_clubs_time(gateway, cal_club):
    # two days ahead, at noon UTC
    start = (datetime.now(UTC) + timedelta(days=2)).replace(hour=12, minute=0, second=0, microsecond=0)
    series = _series(gateway, cal_club, starts_at=start.isoformat(), rrule=None)
    url = f"{API}/events/{series}/occurrences/{start:%Y-%m-%dT%H:%M:%SZ}/attendance"
    records = [{"player_id": str(cal_club["player"].id), "status": "present"}]
    early = gateway.put(url, json={"records": records}, headers=cal_club["coach"].headers)
    assert early.status_code == 422, early.text
    error = early.json()["error"]
    assert error["field"] == "occurrence_start"
    # the test club's time zone is UTC (its tokens say so): the message says when, there
    assert error["message"] == (
        f"'Ice practice' starts at 12:00 on {start:%a} {start.day} {start:%b %Y} (UTC): "
        "take attendance once it has started."
    )
    sheet = gateway.get(url, headers=cal_club["coach"].headers).json()
    assert sheet["totals"]["not_recorded"] == 2 and sheet["totals"]["present"] == 0
