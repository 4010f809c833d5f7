"""Data about a player is filed under the player's team on that day (from the roster read model), never the actor's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.operational.training.helpers import BASE, HOOPER, membership

YESTERDAY = str(date.today() - timedelta(days=1))


def _post(gateway, person, kind, **body):
    if kind == "rpe":
        body = {"session_date": YESTERDAY, "rpe": 5, "duration_minutes": 45, **body}
        return gateway.post(f"{BASE}/rpe-logs", json=body, headers=person.headers)
    return gateway.post(f"{BASE}/wellness", json={"items": HOOPER, **body}, headers=person.headers)


@pytest.mark.parametrize("kind", ["rpe", "wellness"])
def test_a_guardian_in_one_team_files_their_childs_data_under_the_childs_team(
    gateway, club, as_, sync_read_models, kind
):
    sync_read_models()
    child = club["other_player"]  # plays for U18 only
    parent = as_(club["parent"], guardian_of=frozenset({child.id}))  # a member of U16

    another_session = {"rpe": 8} if kind == "rpe" else {}
    filed = _post(gateway, parent, kind, player_id=str(child.id))
    named = _post(gateway, parent, kind, player_id=str(child.id), team_id=str(club.other_team_id), **another_session)

    assert filed.status_code == 201, filed.text
    assert filed.json()["team_id"] == str(club.other_team_id)
    assert named.status_code == 201, named.text
    assert named.json()["team_id"] == str(club.other_team_id)
    wrong = _post(gateway, parent, kind, player_id=str(child.id), team_id=str(club.team_id))
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "team_id"
    # the U18 coach sees it, the U16 coach does not
    path = "/rpe-logs" if kind == "rpe" else "/wellness"
    assert gateway.get(BASE + path, headers=club["other_coach"].headers).json()["total"] >= 1
    assert gateway.get(BASE + path, headers=club["coach"].headers).json()["total"] == 0


@pytest.mark.parametrize("kind", ["rpe", "wellness"])
def test_a_player_of_several_teams_says_which(gateway, club, other_club, sync_read_models, kind):
    player = club["player"]
    sync_read_models(membership(club, player.id, club.other_team_id))  # now U16 and U18

    unsaid = _post(gateway, player, kind)
    said = _post(gateway, player, kind, team_id=str(club.other_team_id))
    foreign = _post(gateway, player, kind, team_id=str(other_club.team_id))

    assert unsaid.status_code == 422 and unsaid.json()["error"]["field"] == "team_id"
    assert str(club.team_id) in unsaid.json()["error"]["message"]
    assert said.status_code == 201 and said.json()["team_id"] == str(club.other_team_id)
    assert foreign.status_code == 404 and foreign.json()["error"]["field"] == "team_id"


def test_a_result_recorded_by_a_club_admin_is_filed_under_the_players_team(gateway, club, sync_read_models):
    sync_read_models()
    admin = club["admin"]
    test = {"name": "Broad jump", "unit": "cm", "direction": "higher_is_better"}
    test_id = gateway.post(f"{BASE}/tests", json=test, headers=admin.headers).json()["id"]

    result = gateway.post(
        f"{BASE}/tests/{test_id}/results",
        json={"player_id": str(club["other_player"].id), "value": 231, "tested_on": YESTERDAY},
        headers=admin.headers,
    )

    assert result.status_code == 201, result.text
    assert result.json()["team_id"] == str(club.other_team_id)
    assert result.json()["recorded_by"] == str(admin.id)


def test_an_old_log_is_filed_under_the_team_the_player_was_on_that_day(gateway, settings, as_, sync_read_models):
    from tests.factories import make_club

    club = make_club(settings, spares=1)
    mover = as_(club["spare1"], roles=frozenset({"player"}))
    now = datetime.now(UTC)
    moved_on = now - timedelta(days=20)
    sync_read_models(
        membership(club, mover.id, club.team_id, occurred_at=now - timedelta(days=60)),
        membership(club, mover.id, club.team_id, removed=True, occurred_at=moved_on),
        membership(club, mover.id, club.other_team_id, occurred_at=moved_on),
    )

    before = _post(gateway, mover, "rpe", session_date=str((now - timedelta(days=30)).date()))
    after = _post(gateway, mover, "rpe", session_date=str((now - timedelta(days=5)).date()))
    long_before = _post(gateway, mover, "rpe", session_date=str((now - timedelta(days=90)).date()))

    assert before.json()["team_id"] == str(club.team_id)
    assert after.json()["team_id"] == str(club.other_team_id)
    assert long_before.json()["team_id"] == str(club.other_team_id)  # before the history: today's team
