"""Daily wellness and physical tests: validation, the team's instrument, who sees what, and the events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.operational.training.helpers import BASE

HOOPER = {"sleep_quality": 3, "fatigue": 4, "stress": 2, "muscle_soreness": 5}
MCLEAN = {"fatigue": 4, "sleep_quality": 3, "muscle_soreness": 4, "stress": 5, "mood": 4}


def test_player_submits_hooper_and_resubmitting_replaces_the_day(gateway, club):
    player = club["player"]
    first = gateway.post(f"{BASE}/wellness", json={"items": HOOPER, "sleep_hours": 7.5}, headers=player.headers)
    assert first.status_code == 201, first.text
    assert (first.json()["instrument"], first.json()["total_score"]) == ("hooper", 14)
    again = gateway.post(f"{BASE}/wellness", json={"items": {**HOOPER, "fatigue": 1}}, headers=player.headers)
    assert again.json()["id"] == first.json()["id"] and again.json()["total_score"] == 11
    listed = gateway.get(f"{BASE}/wellness", headers=player.headers).json()
    assert listed["total"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": {**HOOPER, "fatigue": 8}}, "items.fatigue"),
        ({"items": {**HOOPER, "fatigue": 0}}, "items.fatigue"),
        ({"items": {"sleep_quality": 3}}, "items"),
        ({"items": {**HOOPER, "mood": 3}}, "items"),
        ({"items": HOOPER, "sleep_hours": 25}, "sleep_hours"),
        ({"items": HOOPER, "wellness_date": str(date.today() + timedelta(days=2))}, "wellness_date"),
        ({"items": MCLEAN, "instrument": "mclean"}, "instrument"),
        ({"items": HOOPER, "is_admin": True}, "is_admin"),
    ],
)
def test_wellness_validation(gateway, club, body, field):
    response = gateway.post(f"{BASE}/wellness", json=body, headers=club["player"].headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field


def test_team_switches_to_mclean(gateway, club, sync_read_models):
    coach, player = club["coach"], club["player"]
    sync_read_models()
    assert (
        gateway.put(
            f"{BASE}/teams/{club.team_id}/settings", json={"wellness_instrument": "mclean"}, headers=player.headers
        ).status_code
        == 403
    )
    assert (
        gateway.put(
            f"{BASE}/teams/{club.other_team_id}/settings", json={"wellness_instrument": "mclean"}, headers=coach.headers
        ).status_code
        == 403
    )
    assert (
        gateway.put(
            f"{BASE}/teams/{club.team_id}/settings", json={"wellness_instrument": "mclean"}, headers=coach.headers
        ).status_code
        == 200
    )
    assert gateway.post(f"{BASE}/wellness", json={"items": HOOPER}, headers=player.headers).status_code == 422
    answered = gateway.post(f"{BASE}/wellness", json={"items": MCLEAN}, headers=player.headers)
    assert answered.status_code == 201 and answered.json()["total_score"] == 20


def test_guardian_answers_for_a_minor_and_coaches_see_their_team(gateway, club, sync_read_models):
    parent, player = club["parent"], club["player"]
    sync_read_models()  # the answers are filed under the child's team, which the roster read model knows
    by_parent = gateway.post(
        f"{BASE}/wellness", json={"items": HOOPER, "player_id": str(player.id)}, headers=parent.headers
    )
    assert by_parent.status_code == 201 and by_parent.json()["player_id"] == str(player.id)
    refused = gateway.post(
        f"{BASE}/wellness", json={"items": HOOPER, "player_id": str(club["teammate"].id)}, headers=parent.headers
    )
    assert refused.status_code == 403
    assert gateway.get(f"{BASE}/wellness", headers=club["coach"].headers).json()["total"] == 1
    assert gateway.get(f"{BASE}/wellness", headers=club["other_coach"].headers).json()["total"] == 0
    assert gateway.get(f"{BASE}/wellness", headers=club["teammate"].headers).json()["total"] == 0


def test_test_results_only_for_players_of_your_teams(gateway, club, sync_read_models):
    coach = club["coach"]
    sync_read_models()
    sprint = gateway.post(
        f"{BASE}/tests",
        json={"name": "30 m sprint", "unit": "s", "direction": "lower_is_better"},
        headers=coach.headers,
    )
    assert sprint.status_code == 201
    url = f"{BASE}/tests/{sprint.json()['id']}/results"
    ok = gateway.post(
        url,
        json={"player_id": str(club["player"].id), "value": 4.21, "tested_on": str(date.today())},
        headers=coach.headers,
    )
    assert ok.status_code == 201, ok.text
    other = gateway.post(
        url,
        json={"player_id": str(club["other_player"].id), "value": 4.5, "tested_on": str(date.today())},
        headers=coach.headers,
    )
    assert other.status_code == 403
    future = gateway.post(
        url,
        json={"player_id": str(club["player"].id), "value": 4.1, "tested_on": str(date.today() + timedelta(days=3))},
        headers=coach.headers,
    )
    assert future.status_code == 422
    assert (
        gateway.post(
            url,
            json={"player_id": str(club["player"].id), "value": 4.0, "tested_on": str(date.today())},
            headers=club["player"].headers,
        ).status_code
        == 403
    )
    mine = gateway.get(url, headers=club["player"].headers).json()
    assert [r["value"] for r in mine["items"]] == [4.21]
    assert gateway.get(url, headers=club["teammate"].headers).json()["total"] == 0


def test_wellness_history_by_date_range(gateway, club):
    player = club["player"]
    for days_ago in (0, 3, 10):
        day = str(date.today() - timedelta(days=days_ago))
        assert (
            gateway.post(
                f"{BASE}/wellness", json={"items": HOOPER, "wellness_date": day}, headers=player.headers
            ).status_code
            == 201
        )
    since = str(date.today() - timedelta(days=5))
    recent = gateway.get(f"{BASE}/wellness", params={"from": since}, headers=player.headers).json()
    assert recent["total"] == 2
    backwards = gateway.get(f"{BASE}/wellness", params={"from": str(date.today()), "to": since}, headers=player.headers)
    assert backwards.status_code == 422 and backwards.json()["error"]["field"] == "from"


def test_wellness_and_test_results_are_events_in_the_outbox(gateway, club, settings, sync_read_models):
    import psycopg

    from operational.kit.db import libpq_url

    sync_read_models()
    entry = gateway.post(f"{BASE}/wellness", json={"items": HOOPER, "sleep_hours": 8}, headers=club["player"].headers)
    test = gateway.post(
        f"{BASE}/tests",
        json={"name": "Broad jump", "unit": "cm", "direction": "higher_is_better"},
        headers=club["coach"].headers,
    ).json()
    result = gateway.post(
        f"{BASE}/tests/{test['id']}/results",
        json={"player_id": str(club["player"].id), "value": 231, "tested_on": str(date.today())},
        headers=club["coach"].headers,
    )
    assert entry.status_code == result.status_code == 201
    with psycopg.connect(libpq_url(settings.database_url)) as conn:
        rows = conn.execute(
            "SELECT subject, envelope FROM training.outbox WHERE envelope->>'subject_id' IN (%s, %s)",
            (entry.json()["id"], result.json()["id"]),
        ).fetchall()
    by_subject = {subject: envelope for subject, envelope in rows}
    wellness_event = by_subject["hub.training.wellness.submitted"]["data"]
    assert (wellness_event["total_score"], wellness_event["instrument"], wellness_event["sleep_hours"]) == (
        14,
        "hooper",
        8,
    )
    result_event = by_subject["hub.training.test_result.recorded"]["data"]
    assert (result_event["test_name"], result_event["value"], result_event["direction"]) == (
        "Broad jump",
        231,
        "higher_is_better",
    )
