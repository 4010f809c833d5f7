"""The account's export (users' ``/me/export``) carries the person's medical record, as the medical service gives
it, and that reading is in the record's access log."""

from __future__ import annotations

from tests.operational.medical.helpers import BASE, record


def test_the_account_export_includes_the_players_own_medical_record(gateway, medical_club):
    club = medical_club
    problem = record(gateway, club)
    player = club["player"]

    export = gateway.get("/api/v1/users/me/export", headers=player.headers)

    assert export.status_code == 200, export.text
    medical = export.json()["medical"]
    assert medical["player_id"] == str(player.id)
    [exported] = medical["tables"]["health_problems"]
    assert (exported["id"], exported["diagnosis"]) == (problem["id"], "Adductor longus origin strain")
    log = gateway.get(f"{BASE}/players/{player.id}/access-log", headers=player.headers).json()["items"]
    assert any(entry["record_type"] == "export" and entry["actor_id"] == str(player.id) for entry in log)


def test_someone_without_a_medical_record_gets_empty_tables(gateway, medical_club):
    coach = medical_club["coach"]

    medical = gateway.get("/api/v1/users/me/export", headers=coach.headers).json()["medical"]

    assert medical["tables"]["health_problems"] == []
    assert not any(medical["tables"].values())
