"""Library, templates and sessions personalised per player, restrictions flagged, and the live channel."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from contracts.envelope import utc_now
from contracts.medical import AvailabilityChanged, AvailabilityChangedEvent
from operational.kit.ids import uuid7
from tests.operational.training.helpers import BASE, session_starting_now


def _exercise_id(gateway, person, name: str) -> str:
    page = gateway.get(f"{BASE}/exercises", params={"q": name, "limit": 5}, headers=person.headers).json()
    return next(e["id"] for e in page["items"] if e["name"] == name)


def test_library_has_at_least_100_predefined_exercises_and_the_club_adds_its_own(gateway, club):
    coach = club["coach"]
    page = gateway.get(f"{BASE}/exercises", params={"limit": 1}, headers=coach.headers).json()
    assert page["total"] >= 100
    strength = gateway.get(f"{BASE}/exercises", params={"category": "strength", "limit": 200}, headers=coach.headers)
    assert {"Back squat", "Nordic hamstring curl"} <= {e["name"] for e in strength.json()["items"]}
    own = gateway.post(
        f"{BASE}/exercises",
        json={"name": "Club shuttle", "category": "conditioning", "unsuitable_for": ["no_high_intensity"]},
        headers=coach.headers,
    )
    assert own.status_code == 201 and own.json()["predefined"] is False
    squat = _exercise_id(gateway, coach, "Back squat")
    assert gateway.patch(f"{BASE}/exercises/{squat}", json={"name": "x!"}, headers=coach.headers).status_code == 403
    assert (
        gateway.post(
            f"{BASE}/exercises", json={"name": "Nope", "category": "strength"}, headers=club["player"].headers
        ).status_code
        == 403
    )
    assert (
        gateway.post(f"{BASE}/exercises", json={"name": "Bad", "category": "yoga"}, headers=coach.headers).status_code
        == 422
    )


def test_session_loads_are_personalised_from_latest_tests_and_restrictions_flagged(gateway, club, sync_read_models):
    coach, player, teammate = club["coach"], club["player"], club["teammate"]
    sync_read_models()  # the training service learns the roster from users events
    one_rm = gateway.post(
        f"{BASE}/tests",
        json={"name": "1RM back squat", "unit": "kg", "direction": "higher_is_better"},
        headers=coach.headers,
    ).json()
    for value, days_ago in ((110, 40), (120, 5)):  # the latest result counts
        recorded = gateway.post(
            f"{BASE}/tests/{one_rm['id']}/results",
            json={
                "player_id": str(player.id),
                "value": value,
                "tested_on": str(date.today() - timedelta(days=days_ago)),
            },
            headers=coach.headers,
        )
        assert recorded.status_code == 201, recorded.text
    squat, herbies = (
        _exercise_id(gateway, coach, "Back squat"),
        _exercise_id(gateway, coach, "Full-ice conditioning skate (Herbies)"),
    )
    template = gateway.post(
        f"{BASE}/templates",
        json={
            "name": "In-season A",
            "blocks": [
                {
                    "name": "Strength",
                    "exercises": [{"exercise_id": squat, "sets": 3, "reps": 5, "load_percent_of_max": 80}],
                },
                {"name": "Finisher", "exercises": [{"exercise_id": herbies, "sets": 1, "duration_seconds": 300}]},
            ],
        },
        headers=coach.headers,
    )
    assert template.status_code == 201, template.text

    sync_read_models(
        AvailabilityChangedEvent(
            event_id=uuid7(),
            occurred_at=utc_now(),
            org_id=club.org_id,
            subject_id=teammate.id,
            data=AvailabilityChanged(
                player_id=teammate.id,
                status="limited",
                restrictions=["no_high_intensity"],
                effective_from=date.today(),
                note_for_staff="Easy skating only this week",
            ),
        )
    )
    scheduled = gateway.post(
        f"{BASE}/sessions",
        json={
            "title": "Tuesday strength",
            "starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
            "template_id": template.json()["id"],
            "team_id": str(club.team_id),
            "player_ids": [str(player.id), str(teammate.id)],
            "planned_duration_minutes": 60,
            "planned_rpe": 6,
        },
        headers=coach.headers,
    )
    assert scheduled.status_code == 201, scheduled.text
    by_player = {a["player_id"]: a for a in scheduled.json()["assignments"]}
    mine = by_player[str(player.id)]
    assert mine["blocks"][0]["exercises"][0]["load_kg"] == 95.0  # 80 % of 120 kg, to 2.5 kg plates
    assert mine["restricted"] is False
    theirs = by_player[str(teammate.id)]
    assert theirs["blocks"][0]["exercises"][0]["load_kg"] is None
    assert "no '1RM back squat' result yet" in theirs["blocks"][0]["exercises"][0]["load_note"]
    assert theirs["restricted"] is True
    assert any("unsuitable under no_high_intensity" in r for r in theirs["restriction_reasons"])
    assert any("Easy skating only" in r for r in theirs["restriction_reasons"])

    # a player sees only their own part of it; the coach of another team cannot plan for this team
    own_view = gateway.get(f"{BASE}/sessions/{scheduled.json()['id']}", headers=player.headers).json()
    assert [a["player_id"] for a in own_view["assignments"]] == [str(player.id)]
    other = gateway.post(
        f"{BASE}/sessions",
        json={
            "title": "Extra ice",
            "starts_at": datetime.now(UTC).isoformat(),
            "team_id": str(club.team_id),
            "player_ids": [str(player.id)],
        },
        headers=club["other_coach"].headers,
    )
    assert other.status_code == 403
    stranger = gateway.post(
        f"{BASE}/sessions",
        json={
            "title": "Extra ice",
            "starts_at": datetime.now(UTC).isoformat(),
            "player_ids": [str(club["other_player"].id)],
        },
        headers=coach.headers,
    )
    assert stranger.status_code == 403 and stranger.json()["error"]["field"] == "player_ids.0"


def test_trainer_watches_the_live_session(gateway, club, sync_read_models):
    coach, player = club["coach"], club["player"]
    sync_read_models()
    session_id = gateway.post(
        f"{BASE}/sessions", json=session_starting_now(club, player), headers=coach.headers
    ).json()["id"]
    with gateway.websocket_connect(f"{BASE}/sessions/{session_id}/live?access_token={coach.token}") as live:
        snapshot = live.receive_json()
        assert snapshot == {
            "type": "snapshot",
            "players": [{"player_id": str(player.id), "status": "assigned", "rpe_logged": False, "restricted": False}],
        }
        assert (
            gateway.post(f"{BASE}/sessions/{session_id}/players/{player.id}/start", headers=player.headers).status_code
            == 204
        )
        assert live.receive_json()["status"] == "started"
        assert (
            gateway.post(
                f"{BASE}/sessions/{session_id}/players/{player.id}/complete", headers=player.headers
            ).status_code
            == 204
        )
        assert live.receive_json()["status"] == "completed"
        logged = gateway.post(
            f"{BASE}/rpe-logs",
            json={"session_date": str(date.today()), "rpe": 6, "duration_minutes": 60, "session_id": session_id},
            headers=player.headers,
        )
        assert logged.status_code == 201, logged.text
        assert live.receive_json() == {"type": "update", "player_id": str(player.id), "rpe_logged": True, "rpe": 6}
    # players may not watch; a forged token is refused
    import pytest
    from starlette.websockets import WebSocketDisconnect

    for token in (player.token, "not-a-token"):
        with (
            pytest.raises(WebSocketDisconnect),
            gateway.websocket_connect(f"{BASE}/sessions/{session_id}/live?access_token={token}") as refused,
        ):
            refused.receive_json()
    assert uuid.UUID(session_id)
