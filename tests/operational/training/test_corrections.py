"""Day one: a double submission is caught, and the player, their guardian or staff of the player's team correct or
withdraw an RPE log or a wellness entry; the warehouse hears of it through the corrected/deleted events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.operational.training.helpers import BASE, HOOPER, outbox_events

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)


def _log(gateway, person, **body):
    body = {"session_date": str(YESTERDAY), "rpe": 6, "duration_minutes": 75, **body}
    return gateway.post(f"{BASE}/rpe-logs", json=body, headers=person.headers)


def _day_total(gateway, person, day) -> int:
    page = gateway.get(f"{BASE}/rpe-logs", params={"from": str(day), "to": str(day)}, headers=person.headers).json()
    return sum(item["session_rpe_load_au"] for item in page["items"])


def test_the_same_session_logged_twice_within_minutes_is_refused_naming_the_first(gateway, club):
    player = club["player"]
    first = _log(gateway, player, session_date=str(TODAY))
    assert first.status_code == 201, first.text

    again = _log(gateway, player, session_date=str(TODAY))

    assert again.status_code == 409
    error = again.json()["error"]
    assert first.json()["id"] in error["message"] and "allow_duplicate" in error["message"]
    assert error["details"][0]["log_id"] == first.json()["id"]
    assert _day_total(gateway, player, TODAY) == 450  # the day is not doubled


def test_a_second_identical_session_is_logged_when_the_player_says_so(gateway, club):
    player = club["player"]
    assert _log(gateway, player).status_code == 201
    second = _log(gateway, player, allow_duplicate=True)
    other = _log(gateway, player, rpe=7)  # not the same session: logged without asking

    assert second.status_code == 201 and other.status_code == 201
    assert _day_total(gateway, player, YESTERDAY) == 450 + 450 + 525


@pytest.mark.parametrize("who", ["player", "parent", "coach"])
def test_player_guardian_and_team_staff_correct_a_log_and_the_load_is_recounted(gateway, club, settings, who):
    log = _log(gateway, club["player"]).json()

    corrected = gateway.patch(
        f"{BASE}/rpe-logs/{log['id']}",
        json={"duration_minutes": 60, "session_date": str(YESTERDAY - timedelta(days=1))},
        headers=club[who].headers,
    )

    assert corrected.status_code == 200, corrected.text
    body = corrected.json()
    assert (body["rpe"], body["duration_minutes"], body["session_rpe_load_au"]) == (6, 60, 360)
    assert body["corrected_at"] is not None and body["logged_by"] == str(club["player"].id)
    event = outbox_events(settings, log["id"])["hub.training.session_rpe.corrected"]
    assert event["actor_id"] == str(club[who].id)
    data = event["data"]
    assert (data["session_rpe_load_au"], data["session_date"]) == (360, str(YESTERDAY - timedelta(days=1)))
    assert data["previous_session_date"] == str(YESTERDAY)
    assert _day_total(gateway, club["player"], YESTERDAY) == 0


@pytest.mark.parametrize(("who", "status"), [("teammate", 403), ("other_coach", 403), ("admin", 403)])
def test_others_cannot_correct_or_withdraw_a_log(gateway, club, who, status):
    log_id = _log(gateway, club["player"]).json()["id"]
    url = f"{BASE}/rpe-logs/{log_id}"
    assert gateway.patch(url, json={"rpe": 1}, headers=club[who].headers).status_code == status
    assert gateway.delete(url, headers=club[who].headers).status_code == status
    assert gateway.get(url, headers=club["player"].headers).json()["rpe"] == 6


def test_a_withdrawn_log_disappears_and_the_event_says_what_no_longer_counts(gateway, club, settings):
    player = club["player"]
    log = _log(gateway, player).json()

    assert gateway.delete(f"{BASE}/rpe-logs/{log['id']}", headers=player.headers).status_code == 204

    assert gateway.get(f"{BASE}/rpe-logs/{log['id']}", headers=player.headers).status_code == 404
    assert gateway.get(f"{BASE}/rpe-logs", headers=player.headers).json()["total"] == 0
    data = outbox_events(settings, log["id"])["hub.training.session_rpe.deleted"]["data"]
    assert (data["log_id"], data["player_id"], data["session_date"]) == (log["id"], str(player.id), str(YESTERDAY))
    assert _log(gateway, player).status_code == 201  # logging it again is no longer a duplicate


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rpe": None}, "rpe"),
        ({"session_date": None}, "session_date"),
        ({"rpe": 11}, "rpe"),
        ({"session_date": str(TODAY + timedelta(days=2))}, "session_date"),
        ({"session_date": "0001-01-01"}, "session_date"),
        ({"logged_by": "00000000-0000-0000-0000-000000000000"}, "logged_by"),
    ],
)
def test_a_bad_correction_is_refused_and_changes_nothing(gateway, club, settings, body, field):
    log = _log(gateway, club["player"]).json()
    response = gateway.patch(f"{BASE}/rpe-logs/{log['id']}", json=body, headers=club["player"].headers)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field or (error["field"] is None and f"'{field}' cannot be null" in error["message"])
    assert "hub.training.session_rpe.corrected" not in outbox_events(settings, log["id"])


def test_wellness_is_corrected_and_withdrawn_with_its_events(gateway, club, settings):
    player, parent = club["player"], club["parent"]
    entry = gateway.post(f"{BASE}/wellness", json={"items": HOOPER, "sleep_hours": 7}, headers=player.headers).json()
    url = f"{BASE}/wellness/{entry['id']}"

    corrected = gateway.patch(
        url, json={"items": {**HOOPER, "muscle_soreness": 2}, "sleep_hours": None}, headers=parent.headers
    )

    assert corrected.status_code == 200, corrected.text
    assert (corrected.json()["total_score"], corrected.json()["sleep_hours"]) == (11, None)
    event = outbox_events(settings, entry["id"])["hub.training.wellness.corrected"]
    assert (event["data"]["total_score"], event["actor_id"]) == (11, str(parent.id))
    assert gateway.patch(url, json={"items": {**HOOPER, "fatigue": 9}}, headers=player.headers).status_code == 422
    assert gateway.patch(url, json={"items": None}, headers=player.headers).status_code == 422
    assert gateway.patch(url, json={"sleep_hours": 3}, headers=club["teammate"].headers).status_code == 403

    assert gateway.delete(url, headers=player.headers).status_code == 204
    assert gateway.get(url, headers=player.headers).status_code == 404
    assert gateway.get(f"{BASE}/wellness", headers=player.headers).json()["total"] == 0
    deleted = outbox_events(settings, entry["id"])["hub.training.wellness.deleted"]["data"]
    assert (deleted["wellness_id"], deleted["wellness_date"]) == (entry["id"], entry["wellness_date"])


def test_team_staff_withdraw_wellness_of_their_player(gateway, club, sync_read_models):
    sync_read_models()  # the answers are filed under the player's team
    entry = gateway.post(f"{BASE}/wellness", json={"items": HOOPER}, headers=club["player"].headers).json()
    assert entry["team_id"] == str(club.team_id)
    url = f"{BASE}/wellness/{entry['id']}"
    assert gateway.delete(url, headers=club["other_coach"].headers).status_code == 403
    assert gateway.delete(url, headers=club["coach"].headers).status_code == 204


def test_moving_answers_onto_a_day_that_has_answers_is_a_conflict(gateway, club):
    player = club["player"]
    today = gateway.post(f"{BASE}/wellness", json={"items": HOOPER}, headers=player.headers).json()
    body = {"items": HOOPER, "wellness_date": str(YESTERDAY)}
    assert gateway.post(f"{BASE}/wellness", json=body, headers=player.headers).status_code == 201

    moved = gateway.patch(
        f"{BASE}/wellness/{today['id']}", json={"wellness_date": str(YESTERDAY)}, headers=player.headers
    )

    assert moved.status_code == 409 and moved.json()["error"]["field"] == "wellness_date"
