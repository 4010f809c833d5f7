"""Resources and bookings: one slot, one booking, even under a burst of concurrent requests; conflicts explained."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.operational.calendar.helpers import API, availability, feed_read_models

SLOT = {"starts_at": "2027-03-16T17:00:00+01:00", "ends_at": "2027-03-16T18:30:00+01:00"}


def _rink(gateway, club, name="Rink A", **extra):
    body = {"name": name, "kind": "rink", "capacity": 40, "time_zone": "Europe/Stockholm", **extra}
    response = gateway.post(f"{API}/resources", json=body, headers=club["admin"].headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _book(gateway, person, resource_id, **extra):
    body = {"resource_id": resource_id, **SLOT, **extra}
    return gateway.post(f"{API}/bookings", json=body, headers=person.headers)


def _practice(gateway, person, team_id, **extra):
    body = {
        "kind": "practice",
        "title": "Ice practice",
        "team_id": str(team_id),
        "starts_at": "2027-03-16T17:00:00+01:00",
        "duration_minutes": 90,
        "time_zone": "Europe/Stockholm",
        **extra,
    }
    return gateway.post(f"{API}/events", json=body, headers=person.headers)


def test_twenty_simultaneous_requests_for_one_slot_leave_exactly_one_booking(gateway, cal_club):
    rink = _rink(gateway, cal_club)
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda _: _book(gateway, cal_club["admin"], rink), range(20)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 19, [r.text for r in responses if r.status_code not in (201, 409)]
    refused = next(r for r in responses if r.status_code == 409).json()["error"]
    assert refused["message"].startswith("Rink A is booked by")
    listed = gateway.get(f"{API}/bookings", params={"resource_id": rink}, headers=cal_club["admin"].headers).json()
    assert [b["status"] for b in listed["items"]] == ["confirmed"]


def test_resource_conflict_is_409_with_who_holds_it_unless_a_club_admin_overrides(gateway, cal_club):
    rink = _rink(gateway, cal_club)
    first = _practice(gateway, cal_club["coach"], cal_club.team_id, resource_id=rink)
    assert first.status_code == 201, first.text
    clash = _practice(gateway, cal_club["other_coach"], cal_club.other_team_id, resource_id=rink, title="U18 ice")
    assert clash.status_code == 409
    error = clash.json()["error"]
    assert error["message"].startswith("Rink A is booked by U16 from 17:00 to 18:30 on Tue 16 Mar 2027.")
    assert error["details"][0]["kind"] == "resource_booked" and error["details"][0]["severity"] == "hard"
    # nothing of the refused event was kept
    assert (
        gateway.get(
            f"{API}/occurrences",
            params={"from": "2027-03-16T00:00:00Z", "to": "2027-03-17T00:00:00Z"},
            headers=cal_club["admin"].headers,
        ).json()["total"]
        == 1
    )
    # a coach cannot override; a club admin can, and the reason is recorded on the booking
    not_allowed = _practice(
        gateway, cal_club["other_coach"], cal_club.other_team_id, resource_id=rink, override_reason="Playoffs"
    )
    assert not_allowed.status_code == 403
    overridden = _practice(
        gateway, cal_club["admin"], cal_club.other_team_id, resource_id=rink, override_reason="Playoff game first"
    )
    assert overridden.status_code == 201, overridden.text
    assert [w["kind"] for w in overridden.json()["warnings"]] == ["resource_booked"]
    bookings = gateway.get(f"{API}/bookings", params={"resource_id": rink}, headers=cal_club["admin"].headers).json()
    recorded = [(b["override_reason"], b["overridden_by"]) for b in bookings["items"] if b["override_reason"]]
    assert recorded == [("Playoff game first", str(cal_club["admin"].id))]


def test_soft_conflicts_are_explained_and_do_not_block(gateway, cal_club, settings):
    assert _practice(gateway, cal_club["coach"], cal_club.team_id, location="Rink B").status_code == 201
    feed_read_models(settings, [availability(cal_club, cal_club["teammate"].id, "limited", ["no_contact"])])

    team_twice = _practice(gateway, cal_club["coach"], cal_club.team_id, kind="game", title="Cup game")
    assert team_twice.status_code == 201, team_twice.text
    messages = {w["kind"]: w["message"] for w in team_twice.json()["warnings"]}
    assert messages["team_double_booked"] == (
        "U16 is already at 'Ice practice' (Rink B) from 17:00 to 18:30 on Tue 16 Mar 2027."
    )
    assert messages["player_unavailable"] == "Teammate is limited (no contact): a game is unsuitable."

    meeting = {
        "kind": "meeting",
        "title": "Video session",
        "player_ids": [str(cal_club["player"].id)],
        "starts_at": "2027-03-16T18:00:00+01:00",
        "duration_minutes": 30,
        "time_zone": "Europe/Stockholm",
    }
    response = gateway.post(f"{API}/events", json=meeting, headers=cal_club["admin"].headers)
    assert response.status_code == 201
    player_twice = [w["message"] for w in response.json()["warnings"] if w["kind"] == "player_double_booked"]
    assert "Player is also in 'Ice practice' (Rink B) from 17:00 to 18:30 on Tue 16 Mar 2027." in player_twice


def test_a_practice_suits_a_player_restricted_from_strength_work(gateway, cal_club, settings):
    feed_read_models(settings, [availability(cal_club, cal_club["player"].id, "limited", ["no_strength_upper_body"])])
    response = _practice(gateway, cal_club["coach"], cal_club.team_id)
    assert response.status_code == 201 and response.json()["warnings"] == []


def test_booking_lifecycle_and_waitlist(gateway, cal_club):
    rink = _rink(gateway, cal_club)
    coach, admin = cal_club["coach"], cal_club["admin"]
    pending = _book(gateway, coach, rink, team_id=str(cal_club.team_id))
    assert pending.status_code == 201 and pending.json()["booking"]["status"] == "pending"
    booking_id = pending.json()["booking"]["id"]
    waiting = _book(gateway, cal_club["other_coach"], rink, team_id=str(cal_club.other_team_id), join_waitlist=True)
    assert waiting.status_code == 201 and waiting.json()["booking"]["status"] == "waitlisted"
    assert waiting.json()["warnings"][0]["message"].startswith("Rink A is booked by U16")

    assert gateway.post(f"{API}/bookings/{booking_id}/confirm", headers=coach.headers).status_code == 403
    assert gateway.post(f"{API}/bookings/{booking_id}/confirm", headers=admin.headers).json()["status"] == "confirmed"
    wrong = gateway.post(f"{API}/bookings/{booking_id}/complete", headers=admin.headers)
    assert wrong.status_code == 409 and "must be in progress first" in wrong.json()["error"]["message"]
    assert gateway.post(f"{API}/bookings/{booking_id}/cancel", headers=coach.headers).json()["status"] == "cancelled"
    # the slot went to the first in line, who now waits for an admin's confirmation
    promoted = gateway.get(f"{API}/bookings/{waiting.json()['booking']['id']}", headers=admin.headers).json()
    assert promoted["status"] == "pending"
    for action, status in (("confirm", "confirmed"), ("start", "in_progress"), ("complete", "completed")):
        response = gateway.post(f"{API}/bookings/{promoted['id']}/{action}", headers=admin.headers)
        assert response.json()["status"] == status, response.text


def test_opening_hours_and_access(gateway, cal_club, settings):
    from tests.factories import make_club

    gym = _rink(gateway, cal_club, name="Gym", opens_at="06:00:00", closes_at="17:30:00")
    late = _book(gateway, cal_club["admin"], gym)
    assert late.status_code == 422 and "open from 06:00 to 17:30" in late.json()["error"]["message"]
    assert _book(gateway, cal_club["player"], gym).status_code == 403
    stranger = make_club(settings)["admin"]
    assert _book(gateway, stranger, gym).status_code == 404
    player_resource = gateway.post(
        f"{API}/resources", json={"name": "Bus", "kind": "bus"}, headers=cal_club["coach"].headers
    )
    assert player_resource.status_code == 403


def test_an_event_on_a_rink_keeps_its_opening_hours_like_a_booking(gateway, cal_club):
    rink = _rink(gateway, cal_club, opens_at="06:00:00", closes_at="23:00:00")
    late = {"starts_at": "2027-03-16T22:30:00+01:00", "ends_at": "2027-03-16T23:30:00+01:00"}
    booked = _book(gateway, cal_club["admin"], rink, **late)
    scheduled = _practice(
        gateway, cal_club["coach"], cal_club.team_id, resource_id=rink, starts_at=late["starts_at"], duration_minutes=60
    )
    for response in (booked, scheduled):
        assert response.status_code == 422, response.text
        assert response.json()["error"] == {
            "code": "invalid_value",
            "message": "Rink A is open from 06:00 to 23:00 (Europe/Stockholm); 22:30–23:30 on Tue 16 Mar 2027 is "
            "outside those hours: book within them.",
            "field": "starts_at",
        }
    # within the hours, a weekly series books the rink; a dry run outside them is refused the same way
    weekly = _practice(gateway, cal_club["coach"], cal_club.team_id, resource_id=rink, rrule="FREQ=WEEKLY;COUNT=4")
    assert weekly.status_code == 201, weekly.text
    check = gateway.post(
        f"{API}/events:check",
        json={
            "kind": "practice",
            "title": "Late",
            "team_id": str(cal_club.team_id),
            "resource_id": rink,
            "starts_at": late["starts_at"],
            "duration_minutes": 60,
        },
        headers=cal_club["coach"].headers,
    )
    assert check.status_code == 422 and "outside those hours" in check.json()["error"]["message"]


def test_bookings_are_listed_by_team_and_time(gateway, cal_club):
    rink = _rink(gateway, cal_club)
    for hour, team in ((17, cal_club.team_id), (19, cal_club.other_team_id)):
        slot = {"starts_at": f"2027-03-16T{hour}:00:00+01:00", "ends_at": f"2027-03-16T{hour}:45:00+01:00"}
        assert _book(gateway, cal_club["admin"], rink, team_id=str(team), **slot).status_code == 201
    admin = cal_club["admin"].headers

    def listed(**params):
        return [b["starts_at"] for b in gateway.get(f"{API}/bookings", params=params, headers=admin).json()["items"]]

    assert listed(team_id=str(cal_club.other_team_id)) == ["2027-03-16T18:00:00Z"]
    assert listed(**{"from": "2027-03-16T17:30:00Z"}) == ["2027-03-16T18:00:00Z"]
    assert listed(**{"to": "2027-03-16T17:30:00Z"}) == ["2027-03-16T16:00:00Z"]
    assert listed(resource_id=rink, limit=1, offset=1) == ["2027-03-16T18:00:00Z"]
