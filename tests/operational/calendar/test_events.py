"""Events and recurrence: local time kept across DST, occurrence edits, series splits, listing and access."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.factories import make_club
from tests.operational.calendar.helpers import API

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


def test_only_staff_publish_to_the_whole_club_or_to_staff_only(gateway, cal_club):
    own = {"kind": "meeting", "player_ids": [str(cal_club["player"].id)], "rrule": None}
    for visibility in ("org", "staff"):
        refused = _create(gateway, cal_club["player"], visibility=visibility, **own)
        assert refused.status_code == 403 and refused.json()["error"]["field"] == "visibility"
    assert _create(gateway, cal_club["player"], visibility="private", **own).status_code == 201
    published = _create(gateway, cal_club["coach"], team_id=str(cal_club.team_id), visibility="org")
    assert published.status_code == 201
    mine = _create(gateway, cal_club["player"], **own).json()["event"]["id"]
    widened = gateway.patch(f"{API}/events/{mine}", json={"visibility": "org"}, headers=cal_club["player"].headers)
    assert widened.status_code == 403 and widened.json()["error"]["field"] == "visibility"


def test_edge_inputs_are_clear_422s_not_500s(gateway, cal_club):
    coach, team = cal_club["coach"], str(cal_club.team_id)
    series = _create(gateway, coach, team_id=team).json()["event"]["id"]
    bad_requests = [
        ("POST", "/events", {"title": "Ice\r\nDTSTART:19700101T000000Z"}, "title"),
        ("POST", "/events", {"location": "Rink\nB"}, "location"),
        ("POST", "/events", {"starts_at": "0001-01-01T00:30:00+01:00"}, "starts_at"),
        ("POST", "/events", {"starts_at": "9999-12-31T23:30:00-01:00"}, "starts_at"),
        ("PATCH", f"/events/{series}", {"title": None}, None),
        ("PATCH", f"/events/{series}", {"duration_minutes": None}, None),
        ("PATCH", f"/events/{series}", {"title": "Two\nlines"}, "title"),
        ("GET", "/occurrences?from=0001-01-01T00:00:00%2B01:00", None, "from"),
        ("GET", "/occurrences?to=9999-12-31T23:59:59-01:00", None, "to"),
        ("GET", "/events?from=2027-01-01T00:00:00", None, "from"),  # no offset: which 'from'?
        ("GET", "/bookings?to=9999-12-31T23:00:00-05:00", None, "to"),
        ("PATCH", f"/events/{series}/occurrences/0001-01-01T00:00:00+01:00", {"title": "x"}, "occurrence_start"),
        ("DELETE", f"/events/{series}/occurrences/9999-12-31T23:59:59-10:00", None, "occurrence_start"),
        ("GET", f"/events/{series}/occurrences/not-a-time/rsvps", None, "occurrence_start"),
    ]
    failures = []
    for method, path, changes, field in bad_requests:
        body = None
        if method == "POST":
            body = {"kind": "practice", "title": "Ice", "team_id": team, "duration_minutes": 60}
            body |= {"starts_at": "2027-03-16T17:00:00+01:00", **changes}
        elif changes is not None:
            body = changes
        response = gateway.request(method, API + path, json=body, headers=coach.headers)
        if response.status_code != 422 or response.json()["error"]["field"] != field:
            failures.append((method, path, changes, response.status_code, response.text[:200]))
    assert not failures, failures
    cleared = gateway.patch(f"{API}/events/{series}", json={"location": None, "notes": None}, headers=coach.headers)
    assert cleared.status_code == 200 and cleared.json()["event"]["location"] is None


def test_unbounded_rules_are_refused_at_once_and_open_ended_ones_end_after_two_years(gateway, cal_club):
    coach, team = cal_club["coach"], str(cal_club.team_id)
    for rule in ("FREQ=SECONDLY;COUNT=100000", "FREQ=MINUTELY", "FREQ=HOURLY;INTERVAL=1"):
        refused = _create(gateway, coach, team_id=team, rrule=rule)
        assert refused.status_code == 422 and refused.json()["error"]["field"] == "rrule"
        assert "at most daily" in refused.json()["error"]["message"]
    too_long = _create(gateway, coach, team_id=team, rrule="FREQ=WEEKLY;UNTIL=20300101T000000Z")
    assert too_long.status_code == 422 and "at most 2 years" in too_long.json()["error"]["message"]
    forever = _create(gateway, coach, team_id=team, rrule="FREQ=WEEKLY;BYDAY=TU")
    assert forever.status_code == 201, forever.text
    assert forever.json()["event"]["rrule"] == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20290316T160000Z"
    series = forever.json()["event"]["id"]
    # answering for an occurrence ten years ahead is a plain 404, at once
    far = gateway.put(
        f"{API}/events/{series}/occurrences/2037-03-17T16:00:00Z/rsvp",
        json={"response": "going"},
        headers=cal_club["player"].headers,
    )
    assert far.status_code == 404 and far.json()["error"]["field"] == "occurrence_start"
    last = gateway.put(
        f"{API}/events/{series}/occurrences/2029-03-13T16:00:00Z/rsvp",
        json={"response": "going"},
        headers=cal_club["player"].headers,
    )
    assert last.status_code == 200, last.text


def test_a_dry_run_returns_the_conflicts_and_saves_nothing(gateway, cal_club):
    coach, team = cal_club["coach"], str(cal_club.team_id)
    rink = gateway.post(
        f"{API}/resources", json={"name": "Rink A", "kind": "rink"}, headers=cal_club["admin"].headers
    ).json()["id"]
    assert _create(gateway, coach, team_id=team, resource_id=rink, rrule=None).status_code == 201
    body = {
        "kind": "game",
        "title": "U18 game",
        "team_id": str(cal_club.other_team_id),
        "resource_id": rink,
        "starts_at": "2027-03-16T17:30:00+01:00",
        "duration_minutes": 60,
        "time_zone": "Europe/Stockholm",
    }
    checked = gateway.post(f"{API}/events:check", json=body, headers=cal_club["other_coach"].headers)
    assert checked.status_code == 200, checked.text
    assert checked.json()["occurrences"] == 1
    assert [(c["kind"], c["severity"]) for c in checked.json()["conflicts"]] == [("resource_booked", "hard")]
    assert checked.json()["conflicts"][0]["message"].startswith("Rink A is booked by U16 from 17:00 to 18:30")
    listed = _occurrences(gateway, cal_club["admin"], **{"from": "2027-03-16T00:00:00Z", "to": "2027-03-17T00:00:00Z"})
    assert listed["total"] == 1  # nothing of the check was kept
    same_team = gateway.post(
        f"{API}/events:check", json={**body, "team_id": team, "resource_id": None}, headers=coach.headers
    )
    assert [c["kind"] for c in same_team.json()["conflicts"]] == ["team_double_booked"]
    # the same checks as creating: a typo in the body, or a team that is not yours, is refused the same way
    assert gateway.post(f"{API}/events:check", json={**body, "titel": "x"}, headers=coach.headers).status_code == 422
    assert gateway.post(f"{API}/events:check", json=body, headers=coach.headers).status_code == 403


def test_a_coach_lists_the_series_they_made(gateway, cal_club):
    coach, team = cal_club["coach"], str(cal_club.team_id)
    practice = _create(gateway, coach, team_id=team).json()["event"]["id"]
    game = _create(gateway, coach, team_id=team, kind="game", rrule=None, starts_at="2027-05-01T13:00:00+02:00")
    _create(gateway, cal_club["admin"], team_id=team, title="Club meeting", kind="meeting", rrule=None)
    _create(gateway, cal_club["other_coach"], team_id=str(cal_club.other_team_id))

    def ids(person, **params):
        body = gateway.get(f"{API}/events", params=params, headers=person.headers)
        assert body.status_code == 200, body.text
        return [e["id"] for e in body.json()["items"]], body.json()["total"]

    assert ids(coach, created_by="me") == ([practice, game.json()["event"]["id"]], 2)
    assert ids(coach, created_by="me", kind="game") == ([game.json()["event"]["id"]], 1)
    assert ids(coach, created_by="me", **{"from": "2027-04-15T00:00:00Z"}) == ([game.json()["event"]["id"]], 1)
    assert ids(coach, team_id=team)[1] == 3
    assert ids(coach, team_id=team, limit=1, offset=1)[1] == 3 and len(ids(coach, team_id=team, limit=1)[0]) == 1
    assert ids(cal_club["admin"], created_by=str(coach.id))[1] == 2
    assert ids(cal_club["parent"], player_id=str(cal_club["player"].id))[1] == 3  # their child's team's series
    assert gateway.get(f"{API}/events", params={"created_by": "you"}, headers=coach.headers).status_code == 422


def test_an_occurrence_on_a_booked_rink_shows_the_rink_as_its_location(gateway, cal_club):
    rink = gateway.post(
        f"{API}/resources", json={"name": "Rink A", "kind": "rink"}, headers=cal_club["admin"].headers
    ).json()["id"]
    team = str(cal_club.team_id)
    assert _create(gateway, cal_club["coach"], team_id=team, resource_id=rink).status_code == 201
    own_place = _create(
        gateway,
        cal_club["coach"],
        team_id=team,
        resource_id=rink,
        location="Rink A, east end",
        rrule=None,
        title="Goalies",
        starts_at="2027-03-17T17:00:00+01:00",
    )
    assert own_place.status_code == 201, own_place.text
    items = _occurrences(gateway, cal_club["player"])["items"]
    assert {(i["title"], i["location"]) for i in items} == {("Ice practice", "Rink A"), ("Goalies", "Rink A, east end")}
