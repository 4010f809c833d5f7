"""A team's availability today, the week ahead and per week, by player name, from the availability marts."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.operational.stats.medical_marts import MedicalWarehouse
from tests.operational.stats.snapshots import club_today
from tests.operational.stats.statistics_marts import AVAILABILITY, monday_of


def test_todays_statuses_the_week_ahead_and_weekly_shares(stats, warehouse, stats_club):
    club, today = stats_club, club_today()
    # Elias is out until the day after tomorrow; Alva is limited (no contact) with no return date
    warehouse.insert(
        AVAILABILITY, player_id=club["player"].id, org_id=club.org_id, availability_status="unavailable",
        restrictions_json="[]", effective_from=today - timedelta(days=3), expected_until=today + timedelta(days=2),
    )  # fmt: skip
    warehouse.insert(
        AVAILABILITY, player_id=club["teammate"].id, org_id=club.org_id, availability_status="limited",
        restrictions_json=json.dumps(["no_contact"]), effective_from=today - timedelta(days=1),
        note_for_staff="Skates alone",
    )  # fmt: skip
    this_week = monday_of(today)
    MedicalWarehouse(warehouse).add_availability_week(club.org_id, club.team_id, this_week - timedelta(days=7),
                                                      days=14, available=7, limited=4)  # fmt: skip
    warehouse.publish()

    response = stats.get(f"/api/v1/stats/teams/{club.team_id}/availability", headers=club["coach"].headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["available"], body["limited"], body["unavailable"]) == (0, 1, 1)
    players = [(p["player_name"], p["status"], p["restrictions"], p["expected_return"]) for p in body["players"]]
    assert players == [
        ("Alva Persson", "limited", ["no_contact"], None),
        ("Elias Nilsson", "unavailable", [], str(today + timedelta(days=2))),
    ]
    assert body["players"][0]["note_for_staff"] == "Skates alone"
    ahead = [(d["expected_available"], d["expected_unavailable"], d["returning"]) for d in body["week_ahead"]]
    assert ahead[:3] == [(0, 1, []), (0, 1, []), (1, 0, ["Elias Nilsson"])]
    assert len(ahead) == 7
    [week] = body["weeks"]
    assert (week["player_days"], week["availability_pct"], week["participation_pct"]) == (14, 50.0, 78.571)


def test_a_roster_without_records_is_available(stats, warehouse, stats_club):
    warehouse.publish()

    body = stats.get(
        f"/api/v1/stats/teams/{stats_club.team_id}/availability", headers=stats_club["medic"].headers
    ).json()

    assert body["available"] == 2 and body["weeks"] == []
    assert {p["status_recorded"] for p in body["players"]} == {False}


def test_a_snapshot_from_before_the_medical_marts_says_not_built_yet(stats, warehouse, stats_club):
    from warehouse.serving import publish_snapshot

    older = [t for t in warehouse.tables if "availability_weekly" not in t and "incidence" not in t]
    publish_snapshot(warehouse.conn, warehouse.serving_dir, older)
    for what in ("availability", "injury-surveillance"):
        response = stats.get(f"/api/v1/stats/teams/{stats_club.team_id}/{what}", headers=stats_club["coach"].headers)

        assert response.status_code == 503, response.text
        assert response.json()["error"]["code"] == "statistics_not_ready"
