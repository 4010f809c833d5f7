"""The club's wellness questionnaire (its configuration) is what a team answers unless the team chose its own."""

from __future__ import annotations

from tests.operational.training.helpers import BASE

MCLEAN = {"fatigue": 4, "sleep_quality": 3, "muscle_soreness": 4, "stress": 5, "mood": 4}
HOOPER = {"sleep_quality": 3, "fatigue": 4, "stress": 2, "muscle_soreness": 5}


def test_a_clubs_questionnaire_applies_to_teams_without_their_own(gateway, club, sync_read_models):
    changed = gateway.patch(
        "/api/v1/admin/configuration", json={"wellness_questionnaire": "mclean"}, headers=club["admin"].headers
    )
    assert changed.status_code == 200, changed.text
    sync_read_models()  # training learns the rosters and the club's choice, as its consumer does
    # the other team chose Hooper itself: its choice stands
    own = gateway.put(
        f"{BASE}/teams/{club.other_team_id}/settings", json={"wellness_instrument": "hooper"},
        headers=club["other_coach"].headers,
    )  # fmt: skip
    assert own.status_code == 200, own.text

    answered = gateway.post(f"{BASE}/wellness", json={"items": MCLEAN}, headers=club["player"].headers)
    assert answered.status_code == 201, answered.text
    assert (answered.json()["instrument"], answered.json()["total_score"]) == ("mclean", 20)
    other = gateway.post(f"{BASE}/wellness", json={"items": HOOPER}, headers=club["other_player"].headers)
    assert other.status_code == 201 and other.json()["instrument"] == "hooper"
    refused = gateway.post(f"{BASE}/wellness", json={"items": HOOPER}, headers=club["teammate"].headers)
    assert refused.status_code == 422, refused.text
