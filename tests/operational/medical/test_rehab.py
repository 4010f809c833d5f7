"""Treatments, and the graduated return to sport after concussion (Amsterdam 2022): six stages of at least 24 h,
back a stage when symptoms return, every change recorded with who decided it, availability following the stage."""

from __future__ import annotations

from tests.operational.medical.helpers import BASE, days_ago, record, sql


def concussion(gateway, club):
    return record(gateway, club, osiics_code="HN1", side=None, mechanism="contact", onset_date=days_ago(1))


def status(gateway, club):
    body = gateway.get(f"{BASE}/players/{club['player'].id}/availability", headers=club["coach"].headers).json()
    return body["status"], body["restrictions"]


def a_day_passes(settings, problem_id):
    sql(settings, "UPDATE medical.return_to_play SET stage_entered_at = stage_entered_at - interval '25 hours' "
                  "WHERE problem_id = %s", problem_id)  # fmt: skip


def start_protocol(gateway, club, problem_id):
    body = {"protocol": "concussion_graduated_return"}
    return gateway.post(f"{BASE}/problems/{problem_id}/return-to-play", json=body, headers=club["medic"].headers)


def decide(gateway, club, problem_id, action="advance", **extra):
    body = {"action": action, "entry_criteria_met": action == "advance", **extra}
    return gateway.post(f"{BASE}/problems/{problem_id}/return-to-play/decisions", json=body,
                        headers=club["medic"].headers)  # fmt: skip


def test_treatments_are_recorded_and_read_by_those_allowed(gateway, medical_club):
    problem = record(gateway, medical_club)
    url = f"{BASE}/problems/{problem['id']}/treatments"
    body = {"treated_on": days_ago(3), "kind": "physiotherapy", "clinician": "Anna Berg", "notes": "Soft tissue."}

    assert gateway.post(url, json=body, headers=medical_club["coach"].headers).status_code == 403
    created = gateway.post(url, json=body, headers=medical_club["medic"].headers)
    assert created.status_code == 201, created.text
    too_early = gateway.post(url, json={**body, "treated_on": days_ago(30)}, headers=medical_club["medic"].headers)
    assert too_early.status_code == 422 and too_early.json()["error"]["field"] == "treated_on"

    for who in ("medic", "player", "parent"):
        items = gateway.get(url, headers=medical_club[who].headers).json()["items"]
        assert [(t["kind"], t["clinician"]) for t in items] == [("physiotherapy", "Anna Berg")]
    assert gateway.get(url, headers=medical_club["coach"].headers).status_code == 403


def test_the_concussion_protocol_has_six_stages_of_at_least_24_hours(gateway, medical_club):
    body = gateway.get(f"{BASE}/return-to-play-protocols", headers=medical_club["medic"].headers).json()
    (protocol,) = body["items"]
    assert protocol["key"] == "concussion_graduated_return" and protocol["minimum_hours_per_stage"] == 24
    assert "BJSM" in protocol["citation"] or "Br J Sports Med" in protocol["citation"]
    assert [s["name"] for s in protocol["stages"]] == [
        "Symptom-limited activity",
        "Aerobic exercise",
        "Individual sport-specific exercise",
        "Non-contact training drills",
        "Full-contact practice",
        "Return to sport",
    ]
    assert all(stage["entry_criteria"] for stage in protocol["stages"])


def test_a_stage_lasts_24_hours_and_needs_its_entry_criteria(gateway, medical_club, settings):
    problem = concussion(gateway, medical_club)
    started = start_protocol(gateway, medical_club, problem["id"])
    assert started.status_code == 201, started.text
    assert (started.json()["stage"], started.json()["stage_name"]) == (1, "Symptom-limited activity")

    too_soon = decide(gateway, medical_club, problem["id"])
    assert too_soon.status_code == 409 and "24 h" in too_soon.json()["error"]["message"]

    a_day_passes(settings, problem["id"])
    unconfirmed = decide(gateway, medical_club, problem["id"], entry_criteria_met=False)
    assert unconfirmed.status_code == 422 and "Aerobic exercise" in unconfirmed.json()["error"]["message"]
    assert decide(gateway, medical_club, problem["id"]).json()["stage"] == 2


def test_symptoms_returning_send_the_player_back_a_stage_and_every_change_names_who_decided(
    gateway, medical_club, settings
):
    problem = concussion(gateway, medical_club)
    start_protocol(gateway, medical_club, problem["id"])
    for _ in range(2):
        a_day_passes(settings, problem["id"])
        decide(gateway, medical_club, problem["id"])

    back = decide(gateway, medical_club, problem["id"], action="symptoms_returned", note="Headache after cycling")

    assert back.status_code == 200, back.text
    plan = gateway.get(f"{BASE}/problems/{problem['id']}/return-to-play", headers=medical_club["player"].headers)
    body = plan.json()
    assert body["stage"] == 2
    assert [(c["from_stage"], c["to_stage"], c["reason"]) for c in body["history"]] == [
        (None, 1, "started"),
        (1, 2, "advanced"),
        (2, 3, "advanced"),
        (3, 2, "symptoms_returned"),
    ]
    assert {c["decided_by"] for c in body["history"]} == {str(medical_club["medic"].id)}
    assert gateway.get(f"{BASE}/problems/{problem['id']}/return-to-play",
                       headers=medical_club["coach"].headers).status_code == 403  # fmt: skip


def test_availability_follows_the_stage_and_the_last_one_returns_the_player_to_play(gateway, medical_club, settings):
    problem = concussion(gateway, medical_club)
    start_protocol(gateway, medical_club, problem["id"])
    seen = [status(gateway, medical_club)]
    for _ in range(5):
        a_day_passes(settings, problem["id"])
        assert decide(gateway, medical_club, problem["id"]).status_code == 200
        seen.append(status(gateway, medical_club))

    assert seen == [
        ("unavailable", []),
        ("unavailable", []),
        ("unavailable", []),
        ("limited", ["no_contact"]),
        ("limited", []),
        ("available", []),
    ]
    closed = gateway.get(f"{BASE}/problems/{problem['id']}", headers=medical_club["medic"].headers).json()
    assert closed["return_to_play_date"] == days_ago(0) and closed["severity_days"] == 1
    assert decide(gateway, medical_club, problem["id"]).status_code == 409  # complete
