"""Events and recurrence: local time kept across DST, occurrence edits, series splits, listing and access."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.factories import make_club
from tests.operational.calendar.conftest import API

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _create(gateway, person, **overrides):
    body = {
        "kind": "practice",
        "title": "Ice practice",
        "starts_at": "2027-03-16T17:00:00+01:00",
        "duration_minutes": 90,
        "time_zone": "Europe/Stockholm",
        "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=4",
    }
    body.update(overrides)
    return gateway.post(f"{API}/events", json=body, headers=person.headers)


def _occurrences(gateway, person, **params):
    params = {"from": "2027-03-01T00:00:00Z", "to": "2027-05-01T00:00:00Z", **params}
    response = gateway.get(f"{API}/occurrences", params=params, headers=person.headers)
    assert response.status_code == 200, response.text
    return response.json()


def _local(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(STOCKHOLM)


def test_weekly_practice_stays_at_17_local_across_the_dst_change(gateway, cal_club):
    created = _create(gateway, cal_club["coach"], team_id=str(cal_club.team_id))
    assert created.status_code == 201, created.text
    items = _occurrences(gateway, cal_club["player"])["items"]
    assert [(_local(i["starts_at"]).strftime("%d %b %H:%M")) for i in items] == [
        "16 Mar 17:00",
        "23 Mar 17:00",
        "30 Mar 17:00",  # after the change to summer time on 28 March
        "06 Apr 17:00",
    ]
    # the instants differ by the hour the clocks moved
    assert [datetime.fromisoformat(i["starts_at"]).hour for i in items] == [16, 16, 15, 15]


def test_cancelling_one_occurrence_leaves_the_others(gateway, cal_club):
    series = _create(gateway, cal_club["coach"], team_id=str(cal_club.team_id)).json()["event"]
    second = "2027-03-23T16:00:00Z"
    cancelled = gateway.delete(f"{API}/events/{series['id']}/occurrences/{second}", headers=cal_club["coach"].headers)
    assert cancelled.status_code == 200, cancelled.text
    items = _occurrences(gateway, cal_club["player"])["items"]
    assert [i["cancelled"] for i in items] == [False, True, False, False]
    # an instant that is not an occurrence of the series is not found
    missing = gateway.delete(
        f"{API}/events/{series['id']}/occurrences/2027-03-24T16:00:00Z", headers=cal_club["coach"].headers
    )
    assert missing.status_code == 404


def test_moving_one_occurrence_changes_only_it(gateway, cal_club):
    series = _create(gateway, cal_club["coach"], team_id=str(cal_club.team_id)).json()["event"]
    moved = gateway.patch(
        f"{API}/events/{series['id']}/occurrences/2027-03-30T15:00:00Z",
        json={"starts_at": "2027-03-31T18:00:00+02:00", "location": "Rink B"},
        headers=cal_club["coach"].headers,
    )
    assert moved.status_code == 200, moved.text
    items = _occurrences(gateway, cal_club["coach"])["items"]
    assert [(_local(i["starts_at"]).strftime("%d %H:%M"), i["location"]) for i in items] == [
        ("16 17:00", None),
        ("23 17:00", None),
        ("31 18:00", "Rink B"),
        ("06 17:00", None),
    ]
    assert items[2]["modified"] and items[2]["occurrence_start"].startswith("2027-03-30T15:00")


def test_this_and_following_splits_the_series(gateway, cal_club):
    series = _create(gateway, cal_club["coach"], team_id=str(cal_club.team_id)).json()["event"]
    split = gateway.patch(
        f"{API}/events/{series['id']}/occurrences/2027-03-30T15:00:00Z",
        params={"scope": "following"},
        json={"starts_at": "2027-03-30T18:30:00+02:00", "title": "Late ice"},
        headers=cal_club["coach"].headers,
    )
    assert split.status_code == 200, split.text
    successor = split.json()["event"]
    assert successor["id"] != series["id"] and successor["split_from_id"] == series["id"]
    items = _occurrences(gateway, cal_club["player"])["items"]
    assert [(_local(i["starts_at"]).strftime("%d %H:%M"), i["title"]) for i in items] == [
        ("16 17:00", "Ice practice"),
        ("23 17:00", "Ice practice"),
        ("30 18:30", "Late ice"),
        ("06 18:30", "Late ice"),
    ]
    original = gateway.get(f"{API}/events/{series['id']}", headers=cal_club["coach"].headers).json()
    assert "COUNT=2" in original["rrule"]


def test_cancelling_this_and_following_ends_the_series(gateway, cal_club):
    series = _create(gateway, cal_club["coach"], team_id=str(cal_club.team_id), rrule="FREQ=WEEKLY").json()["event"]
    response = gateway.delete(
        f"{API}/events/{series['id']}/occurrences/2027-03-30T15:00:00Z",
        params={"scope": "following"},
        headers=cal_club["coach"].headers,
    )
    assert response.status_code == 200, response.text
    assert _occurrences(gateway, cal_club["player"])["total"] == 2


def test_list_filters_by_team_player_kind_and_is_paginated(gateway, cal_club):
    _create(gateway, cal_club["coach"], team_id=str(cal_club.team_id))
    _create(gateway, cal_club["other_coach"], team_id=str(cal_club.other_team_id), kind="game", rrule=None)
    admin = cal_club["admin"]
    assert _occurrences(gateway, admin)["total"] == 5
    assert _occurrences(gateway, admin, team_id=str(cal_club.other_team_id))["total"] == 1
    assert _occurrences(gateway, admin, kind="game")["total"] == 1
    assert _occurrences(gateway, admin, player_id=str(cal_club["player"].id))["total"] == 4
    page = _occurrences(gateway, admin, limit=2, offset=4)
    assert (page["total"], len(page["items"])) == (5, 1)
    # a player sees their own team's events only
    assert _occurrences(gateway, cal_club["player"])["total"] == 4
    assert _occurrences(gateway, cal_club["other_player"])["total"] == 1


def test_access_to_events(gateway, cal_club, settings):
    series = _create(gateway, cal_club["coach"], team_id=str(cal_club.team_id)).json()["event"]
    url = f"{API}/events/{series['id']}"
    assert gateway.get(url, headers=cal_club["player"].headers).status_code == 200
    assert gateway.get(url, headers=cal_club["parent"].headers).status_code == 200
    assert gateway.get(url, headers=cal_club["other_player"].headers).status_code == 403
    assert gateway.patch(url, json={"title": "Mine now"}, headers=cal_club["other_coach"].headers).status_code == 403
    assert gateway.patch(url, json={"title": "x"}, headers=cal_club["player"].headers).status_code == 403
    stranger = make_club(settings)["admin"]
    assert gateway.get(url, headers=stranger.headers).status_code == 404
    assert gateway.patch(url, json={"title": "x"}, headers=stranger.headers).status_code == 404
    refused = _create(gateway, cal_club["other_coach"], team_id=str(cal_club.team_id))
    assert refused.status_code == 403 and refused.json()["error"]["field"] == "team_id"


def test_bad_schedules_are_explained(gateway, cal_club):
    coach, team = cal_club["coach"], str(cal_club.team_id)
    bad_rule = _create(gateway, coach, team_id=team, rrule="FREQ=SOMETIMES")
    assert bad_rule.status_code == 422 and bad_rule.json()["error"]["field"] == "rrule"
    bad_zone = _create(gateway, coach, team_id=team, time_zone="Mars/Olympus")
    assert bad_zone.status_code == 422 and bad_zone.json()["error"]["field"] == "time_zone"
    nobody = gateway.post(
        f"{API}/events",
        json={"kind": "game", "title": "x", "starts_at": "2027-03-16T17:00:00+01:00", "duration_minutes": 60},
        headers=coach.headers,
    )
    assert nobody.status_code == 422
    naive = _create(gateway, coach, team_id=team, starts_at="2027-03-16T17:00:00")
    assert naive.status_code == 422 and naive.json()["error"]["field"] == "starts_at"
