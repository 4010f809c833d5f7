"""Availability: derived from open problems, set by medical staff, recorded in the outbox with the change, and seen
by training's read model. Coaches get status, coded restrictions and expected return: nothing clinical."""

from __future__ import annotations

import asyncio

from operational.kit.db import create_engine, session_factory
from operational.medical import availability as availability_service
from tests.messaging import drain_and_consume
from tests.operational.medical.helpers import BASE, days_ago, outbox_events, record, sql


def availability(gateway, club, who="coach", player="player"):
    response = gateway.get(f"{BASE}/players/{club[player].id}/availability", headers=club[who].headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_player_with_nothing_recorded_is_available(gateway, medical_club):
    body = availability(gateway, medical_club)
    assert (body["status"], body["restrictions"], body["source"]) == ("available", [], "none")


def test_a_time_loss_problem_makes_the_player_unavailable_until_partial_return(gateway, medical_club, settings):
    problem = record(gateway, medical_club, expected_return_date=days_ago(-10), restrictions=["no_contact"])

    body = availability(gateway, medical_club)
    assert (body["status"], body["expected_until"], body["source"]) == ("unavailable", days_ago(-10), "derived")
    assert body["restrictions"] == []

    medic = medical_club["medic"].headers
    gateway.patch(f"{BASE}/problems/{problem['id']}", json={"partial_return_date": days_ago(1)}, headers=medic)
    body = availability(gateway, medical_club)
    assert (body["status"], body["restrictions"]) == ("limited", ["no_contact"])
    assert body["note_for_staff"] == "Modified training only"

    gateway.patch(f"{BASE}/problems/{problem['id']}", json={"return_to_play_date": days_ago(0)}, headers=medic)
    assert availability(gateway, medical_club)["status"] == "available"

    statuses = [e["data"]["status"] for e in outbox_events(settings, medical_club["player"].id)]
    assert statuses == ["unavailable", "limited", "available"]


def test_a_medical_attention_problem_limits_only_with_restrictions(gateway, medical_club):
    record(gateway, medical_club, time_loss=False)
    assert availability(gateway, medical_club)["status"] == "available"
    record(gateway, medical_club, time_loss=False, osiics_code="SL2", restrictions=["no_strength_upper_body"])
    body = availability(gateway, medical_club)
    assert (body["status"], body["restrictions"]) == ("limited", ["no_strength_upper_body"])


def test_the_most_restrictive_problem_wins_and_restrictions_add_up(gateway, medical_club):
    record(gateway, medical_club, time_loss=False, restrictions=["no_contact"], expected_return_date=days_ago(-3))
    record(gateway, medical_club, osiics_code="AL1", partial_return_date=days_ago(2), restrictions=["no_on_ice"],
           expected_return_date=days_ago(-9))  # fmt: skip
    body = availability(gateway, medical_club)
    assert (body["status"], body["restrictions"], body["expected_until"]) == (
        "limited",
        ["no_contact", "no_on_ice"],
        days_ago(-9),
    )


def test_an_unchanged_availability_emits_nothing(gateway, medical_club, settings):
    problem = record(gateway, medical_club)
    gateway.patch(f"{BASE}/problems/{problem['id']}", json={"notes": "Still sore."},
                  headers=medical_club["medic"].headers)  # fmt: skip
    assert len(outbox_events(settings, medical_club["player"].id)) == 1


def test_medical_staff_set_availability_by_hand(gateway, medical_club, settings):
    url = f"{BASE}/players/{medical_club['teammate'].id}/availability"
    body = {"status": "limited", "restrictions": ["no_high_intensity"], "expected_until": days_ago(-5),
            "note_for_staff": "Skate at low intensity"}  # fmt: skip

    for who in ("coach", "admin", "teammate"):
        assert gateway.put(url, json=body, headers=medical_club[who].headers).status_code == 403, who
    response = gateway.put(url, json=body, headers=medical_club["medic"].headers)

    assert response.status_code == 200, response.text
    assert response.json()["source"] == "set_by_staff"
    (event,) = outbox_events(settings, medical_club["teammate"].id)
    assert event["data"]["restrictions"] == ["no_high_intensity"]
    assert event["data"]["note_for_staff"] == "Skate at low intensity"


def test_the_change_and_its_event_land_in_one_transaction(medical_club, settings):
    """Rolled back, a change of availability leaves neither the availability nor its event; committed, both."""
    medic, player_id = medical_club["medic"].principal, medical_club["teammate"].id
    values = {"status": "unavailable", "restrictions": [], "expected_until": None, "note_for_staff": None}

    async def change(commit: bool) -> None:
        engine = create_engine(settings.database_url, pool_size=1)
        try:
            async with session_factory(engine)() as session, session.begin() as transaction:
                await availability_service.set_by_staff(session, medic, player_id, values)
                if not commit:
                    await transaction.rollback()
        finally:
            await engine.dispose()

    def stored() -> tuple[int, int]:
        rows = sql(settings, "SELECT count(*) FROM medical.availability WHERE player_id = %s", player_id)
        return rows[0][0], len(outbox_events(settings, player_id))

    asyncio.run(change(commit=False))
    assert stored() == (0, 0)
    asyncio.run(change(commit=True))
    assert stored() == (1, 1)


def test_coaches_list_their_teams_availability_and_nothing_clinical(gateway, medical_club):
    record(gateway, medical_club, expected_return_date=days_ago(-4))
    record(gateway, medical_club, player_id=str(medical_club["other_player"].id), osiics_code="TH1")

    def listed(who, **params):
        response = gateway.get(f"{BASE}/availability", params=params, headers=medical_club[who].headers)
        assert response.status_code == 200, response.text
        return response.json()["items"]

    items = listed("coach")
    assert [item["player_id"] for item in items] == [str(medical_club["player"].id)]
    assert set(items[0]) == {"player_id", "status", "restrictions", "effective_from", "expected_until",
                             "note_for_staff", "source"}  # fmt: skip
    assert {item["player_id"] for item in listed("admin")} >= {
        str(medical_club["player"].id),
        str(medical_club["other_player"].id),
    }
    assert listed("coach", team_id=str(medical_club.team_id))[0]["status"] == "unavailable"
    assert gateway.get(f"{BASE}/availability", params={"team_id": str(medical_club.other_team_id)},
                       headers=medical_club["coach"].headers).status_code == 403  # fmt: skip
    assert gateway.get(f"{BASE}/players/{medical_club['other_player'].id}/availability",
                       headers=medical_club["coach"].headers).status_code == 403  # fmt: skip


def test_trainings_read_model_follows_medical_availability(gateway, medical_club, settings):
    record(gateway, medical_club, partial_return_date=days_ago(1), restrictions=["no_contact"],
           expected_return_date=days_ago(-6))  # fmt: skip

    drain_and_consume(settings, services=["training"])

    rows = sql(
        settings,
        "SELECT status, restrictions, expected_until::text FROM training.player_availability WHERE player_id = %s",
        medical_club["player"].id,
    )
    assert rows == [("limited", ["no_contact"], days_ago(-6))]
