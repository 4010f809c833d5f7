"""A warning tells the caller only what they may know: another event's title and place only if they may read it,
a player's restrictions only if they are staff of the player's team."""

from __future__ import annotations

from tests.operational.calendar.helpers import API, availability, feed_read_models

AT = {"starts_at": "2027-03-16T17:00:00+01:00", "duration_minutes": 60, "time_zone": "Europe/Stockholm"}


def _post(gateway, person, **body):
    response = gateway.post(f"{API}/events", json={**AT, **body}, headers=person.headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_warnings_never_reveal_an_event_or_a_restriction_the_caller_may_not_read(gateway, cal_club, settings):
    player = cal_club["player"]
    physio = _post(
        gateway,
        cal_club["medic"],
        kind="medical_appointment",
        title="Physio: knee",
        location="Sports clinic",
        player_ids=[str(player.id)],
        visibility="staff",
    )["event"]["id"]
    feed_read_models(settings, [availability(cal_club, player.id, "limited", ["no_contact"])])
    extra = {"kind": "practice", "title": "Extra ice", "player_ids": [str(player.id)]}

    # the coach of another team may not put the player into an event at all, so learns nothing of them
    stranger = gateway.post(f"{API}/events", json={**AT, **extra}, headers=cal_club["other_coach"].headers)
    assert stranger.status_code == 403 and stranger.json()["error"]["field"] == "player_ids.0"
    assert "Physio" not in stranger.text and "contact" not in stranger.text

    # the player's own coach sees the restriction, still not the staff-only appointment of the medical staff
    coach = _post(gateway, cal_club["coach"], **extra)["warnings"]
    assert all("Physio" not in w["message"] and w["other_event_id"] != physio for w in coach)
    assert [w["message"] for w in coach if w["kind"] == "player_unavailable"] == [
        "Player is limited (no contact): a practice is unsuitable."
    ]

    # a club admin may read the appointment: its title and place, and which event it is
    admin = _post(gateway, cal_club["admin"], **extra)["warnings"]
    about_physio = [w for w in admin if w["other_event_id"] == physio]
    assert [w["message"] for w in about_physio] == [
        "Player is also in 'Physio: knee' (Sports clinic) from 17:00 to 18:00 on Tue 16 Mar 2027."
    ]

    # the player's own meeting: told they are busy, not what the staff wrote
    own = _post(gateway, player, kind="other", title="Homework", player_ids=[str(player.id)])["warnings"]
    assert own and all("Physio" not in w["message"] and "clinic" not in w["message"] for w in own)


def test_a_resource_held_by_an_event_you_cannot_read_is_named_by_its_team_or_not_at_all(gateway, cal_club):
    rink = gateway.post(
        f"{API}/resources", json={"name": "Rink A", "kind": "rink"}, headers=cal_club["admin"].headers
    ).json()["id"]
    _post(
        gateway,
        cal_club["admin"],
        kind="meeting",
        title="Board: budget cuts",
        player_ids=[str(cal_club["coach"].id)],
        resource_id=rink,
        visibility="staff",
    )
    clash = gateway.post(
        f"{API}/bookings",
        json={"resource_id": rink, "starts_at": AT["starts_at"], "ends_at": "2027-03-16T17:30:00+01:00"},
        headers=cal_club["other_coach"].headers,
    )
    assert clash.status_code == 409
    assert clash.json()["error"]["message"].startswith("Rink A is booked by another booking from 17:00 to 18:00")
    assert "budget" not in clash.text
