"""Only players answer for themselves; a guardian names the child they answer for. Who answered is recorded on the
row and in the event, as RSVPs do."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.operational.training.helpers import BASE, HOOPER, outbox_events

YESTERDAY = str(date.today() - timedelta(days=1))
RPE = {"session_date": YESTERDAY, "rpe": 5, "duration_minutes": 50}


@pytest.mark.parametrize(
    ("path", "body"), [("/wellness", {"items": HOOPER}), ("/rpe-logs", RPE)], ids=["wellness", "rpe"]
)
def test_a_guardian_who_names_no_child_is_asked_to_and_nothing_is_stored(gateway, club, path, body):
    parent = club["parent"]

    response = gateway.post(BASE + path, json=body, headers=parent.headers)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "player_id" and "guardian" in error["message"]
    assert gateway.get(BASE + path, headers=parent.headers).json()["total"] == 0


@pytest.mark.parametrize(
    ("path", "body"), [("/wellness", {"items": HOOPER}), ("/rpe-logs", RPE)], ids=["wellness", "rpe"]
)
def test_staff_do_not_answer_for_themselves_or_their_players(gateway, club, path, body, sync_read_models):
    sync_read_models()
    coach = club["coach"]
    assert gateway.post(BASE + path, json=body, headers=coach.headers).status_code == 403
    with_player = {**body, "player_id": str(club["player"].id)}
    assert gateway.post(BASE + path, json=with_player, headers=coach.headers).status_code == 403


def test_who_answered_and_who_logged_are_recorded_and_sent(gateway, club, settings):
    parent, player = club["parent"], club["player"]
    child = str(player.id)

    by_parent = gateway.post(f"{BASE}/wellness", json={"items": HOOPER, "player_id": child}, headers=parent.headers)
    logged = gateway.post(f"{BASE}/rpe-logs", json={**RPE, "player_id": child}, headers=parent.headers)
    own = gateway.post(f"{BASE}/rpe-logs", json={**RPE, "rpe": 7}, headers=player.headers)

    assert by_parent.status_code == logged.status_code == own.status_code == 201
    assert (by_parent.json()["player_id"], by_parent.json()["answered_by"]) == (child, str(parent.id))
    assert (logged.json()["player_id"], logged.json()["logged_by"]) == (child, str(parent.id))
    assert own.json()["logged_by"] == child
    wellness_event = outbox_events(settings, by_parent.json()["id"])["hub.training.wellness.submitted"]["data"]
    assert wellness_event["answered_by"] == str(parent.id)
    rpe_event = outbox_events(settings, logged.json()["id"])["hub.training.session_rpe.logged"]["data"]
    assert rpe_event["logged_by"] == str(parent.id)


def test_a_player_who_answers_again_becomes_who_answered(gateway, club):
    parent, player = club["parent"], club["player"]
    body = {"items": HOOPER, "player_id": str(player.id)}
    first = gateway.post(f"{BASE}/wellness", json=body, headers=parent.headers).json()
    again = gateway.post(f"{BASE}/wellness", json={"items": HOOPER}, headers=player.headers).json()
    assert again["id"] == first["id"] and again["answered_by"] == str(player.id)
