"""Rehab plans: exercises from the club's training library (the predefined ones, and the club's own once the training
service's event has reached medical), checked on every write; read by medical staff, the player and a guardian,
never a coach; every read and change in the access log; part of the export, gone with an erasure."""

from __future__ import annotations

import uuid

from operational.training.data import predefined_exercises
from tests.messaging import drain_and_consume
from tests.operational.medical.helpers import BASE, days_ago, record, sql

TRAINING = "/api/v1/training"


def predefined(name: str) -> str:
    return next(str(e["id"]) for e in predefined_exercises().values() if e["name"] == name)


COPENHAGEN = predefined("Copenhagen adductor plank")


def item(exercise_id: str, **extra) -> dict:
    return {"exercise_id": exercise_id, "phase": "Phase 1: isometrics", "sets": 3, "reps": 10, "load": "bodyweight",
            "times_per_week": 3, **extra}  # fmt: skip


def plan_body(*exercise_ids: str, **extra) -> dict:
    return {"starts_on": days_ago(7), "ends_on": days_ago(-21), "goal": "Pain-free adduction at full speed",
            "exercises": [item(e) for e in exercise_ids], **extra}  # fmt: skip


def own_exercise(gateway, club, name: str) -> str:
    created = gateway.post(f"{TRAINING}/exercises", json={"name": name, "category": "strength"},
                           headers=club["coach"].headers)  # fmt: skip
    assert created.status_code == 201, created.text
    return created.json()["id"]


def write_plan(gateway, club, problem_id, body):
    return gateway.post(f"{BASE}/problems/{problem_id}/rehab-plan", json=body, headers=club["medic"].headers)


def test_the_clubs_own_exercise_is_usable_once_its_event_arrives_and_the_plan_is_read_by_those_allowed(
    gateway, medical_club, settings
):
    problem = record(gateway, medical_club)
    squeeze = own_exercise(gateway, medical_club, "Adductor squeeze, ball between knees")

    not_yet = write_plan(gateway, medical_club, problem["id"], plan_body(COPENHAGEN, squeeze))
    assert not_yet.status_code == 404 and not_yet.json()["error"]["field"] == "exercises.1"
    assert "training library" in not_yet.json()["error"]["message"]

    drain_and_consume(settings, services=["medical"])
    assert gateway.post(f"{BASE}/problems/{problem['id']}/rehab-plan", json=plan_body(COPENHAGEN, squeeze),
                        headers=medical_club["coach"].headers).status_code == 403  # fmt: skip
    written = write_plan(gateway, medical_club, problem["id"], plan_body(COPENHAGEN, squeeze))
    assert written.status_code == 201, written.text
    assert [e["exercise_name"] for e in written.json()["exercises"]] == [
        "Copenhagen adductor plank",
        "Adductor squeeze, ball between knees",
    ]

    gateway.patch(f"{TRAINING}/exercises/{squeeze}", json={"name": "Adductor squeeze (long lever)"},
                  headers=medical_club["coach"].headers)  # fmt: skip
    drain_and_consume(settings, services=["medical"])
    url = f"{BASE}/problems/{problem['id']}/rehab-plan"
    for who in ("medic", "player", "parent"):
        shown = gateway.get(url, headers=medical_club[who].headers)
        assert shown.status_code == 200, (who, shown.text)
        exercises = shown.json()["exercises"]
        assert [(e["exercise_name"], e["sets"], e["reps"], e["times_per_week"]) for e in exercises] == [
            ("Copenhagen adductor plank", 3, 10, 3),
            ("Adductor squeeze (long lever)", 3, 10, 3),
        ], who
    refused = gateway.get(url, headers=medical_club["coach"].headers)
    assert refused.status_code == 403 and "medical staff" in refused.json()["error"]["message"]

    logged = sql(settings, "SELECT actor_id, actor_role, action, purpose FROM medical.access_log "
                           "WHERE record_type = 'rehab_plan' AND player_id = %s ORDER BY id",
                 medical_club["player"].id)  # fmt: skip
    names = {medical_club[n].id: n for n in ("medic", "player", "parent", "coach")}
    assert [(names[actor], role, action, purpose) for actor, role, action, purpose in logged] == [
        ("medic", "medical_staff", "create", "care"),
        ("medic", "medical_staff", "read", "care"),
        ("player", "player", "read", "own record"),
        ("parent", "guardian", "read", "guardian of a minor"),
    ]  # the coach's refused read is not there: nothing was shown


def test_another_clubs_exercise_or_an_unknown_one_is_refused(gateway, medical_club, other_club, settings):
    problem = record(gateway, medical_club)
    theirs = own_exercise(gateway, other_club, "Their slide board drill")
    drain_and_consume(settings, services=["medical"])

    for exercise_id in (theirs, str(uuid.uuid4())):
        refused = write_plan(gateway, medical_club, problem["id"], plan_body(COPENHAGEN, exercise_id))
        assert refused.status_code == 404, refused.text
        assert refused.json()["error"] == {
            **refused.json()["error"],
            "field": "exercises.1",
            "message": "No such exercise in the club's training library.",
        }
    assert sql(settings, "SELECT count(*) FROM medical.rehab_plans WHERE problem_id = %s", problem["id"]) == [(0,)]


def test_the_plan_is_changed_checked_and_withdrawn_by_medical_staff(gateway, medical_club, settings):
    problem = record(gateway, medical_club)
    url = f"{BASE}/problems/{problem['id']}/rehab-plan"
    medic = medical_club["medic"].headers
    assert gateway.get(url, headers=medic).status_code == 404

    before_onset = write_plan(gateway, medical_club, problem["id"], plan_body(COPENHAGEN, starts_on=days_ago(30)))
    assert before_onset.status_code == 422 and before_onset.json()["error"]["field"] == "starts_on"
    backwards = write_plan(gateway, medical_club, problem["id"], plan_body(COPENHAGEN, ends_on=days_ago(10)))
    assert backwards.status_code == 422 and backwards.json()["error"]["field"] == "ends_on"
    no_exercises = write_plan(gateway, medical_club, problem["id"], plan_body())
    assert no_exercises.status_code == 422
    assert write_plan(gateway, medical_club, problem["id"], plan_body(COPENHAGEN)).status_code == 201
    assert write_plan(gateway, medical_club, problem["id"], plan_body(COPENHAGEN)).status_code == 409

    nordic = predefined("Nordic hamstring curl")
    progressed = [item(COPENHAGEN, phase="Phase 2: loading", load="long lever"), item(nordic, sets=2, reps=5)]
    changed = gateway.patch(url, json={"exercises": progressed, "ends_on": None}, headers=medic)
    assert changed.status_code == 200, changed.text
    assert changed.json()["ends_on"] is None
    assert [(e["exercise_name"], e["phase"], e["load"]) for e in changed.json()["exercises"]] == [
        ("Copenhagen adductor plank", "Phase 2: loading", "long lever"),
        ("Nordic hamstring curl", "Phase 1: isometrics", "bodyweight"),
    ]
    unknown = gateway.patch(url, json={"exercises": [item(str(uuid.uuid4()))]}, headers=medic)
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "exercises.0"
    assert gateway.patch(url, json={"ends_on": days_ago(8)}, headers=medic).status_code == 422
    assert gateway.patch(url, json={"goal": "x"}, headers=medical_club["player"].headers).status_code == 403
    assert gateway.delete(url, headers=medical_club["coach"].headers).status_code == 403

    assert gateway.delete(url, headers=medic).status_code == 204
    assert gateway.get(url, headers=medic).status_code == 404
    actions = sql(settings, "SELECT action FROM medical.access_log WHERE record_type = 'rehab_plan' "
                            "AND player_id = %s ORDER BY id", medical_club["player"].id)  # fmt: skip
    assert [a for (a,) in actions] == ["create", "update", "delete"]


def test_the_plan_is_in_the_export_and_goes_with_an_erasure(gateway, medical_club, settings):
    from contracts.users import UserAnonymized, UserAnonymizedEvent
    from tests.messaging import apply_events
    from tests.operational.training.helpers import envelope

    problem = record(gateway, medical_club)
    assert write_plan(gateway, medical_club, problem["id"], plan_body(COPENHAGEN)).status_code == 201
    player_id = medical_club["player"].id

    exported = gateway.get(f"{BASE}/players/{player_id}/export", headers=medical_club["player"].headers).json()
    (plan,) = exported["tables"]["rehab_plans"]
    assert plan["goal"] == "Pain-free adduction at full speed"
    assert plan["exercises"][0]["name"] == "Copenhagen adductor plank"

    erased = envelope(UserAnonymizedEvent, medical_club.org_id, UserAnonymized(user_id=player_id))
    assert apply_events(settings, "medical", [erased]) == 1
    assert sql(settings, "SELECT count(*) FROM medical.rehab_plans WHERE player_id = %s", player_id) == [(0,)]


def test_the_predefined_exercises_have_the_ids_the_training_service_gave_them(settings):
    in_training = dict(sql(settings, "SELECT id, name FROM training.exercises WHERE org_id IS NULL"))

    assert {e["id"]: e["name"] for e in predefined_exercises().values()} == in_training


def test_an_exercise_event_changes_only_its_own_clubs_exercise_and_an_older_one_changes_nothing(settings):
    from datetime import UTC, datetime, timedelta

    from contracts.training import ExerciseChanged, ExerciseCreatedEvent, ExerciseUpdatedEvent
    from tests.messaging import apply_events
    from tests.operational.training.helpers import envelope

    club, other, exercise_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)

    def event(model, org_id, name, at, **extra):
        data = ExerciseChanged(exercise_id=exercise_id, name=name, category="mobility", **extra)
        return envelope(model, org_id, data, occurred_at=at)

    apply_events(settings, "medical", [
        event(ExerciseCreatedEvent, club, "Hip airplane", now),
        event(ExerciseUpdatedEvent, other, "Taken over", now + timedelta(minutes=1)),
        event(ExerciseUpdatedEvent, club, "Stale name", now - timedelta(minutes=1)),
        event(ExerciseUpdatedEvent, club, "Predefined copy", now + timedelta(minutes=2), predefined=True),
    ])  # fmt: skip

    kept = sql(settings, "SELECT org_id, name FROM medical.library_exercises WHERE id = %s", exercise_id)
    assert kept == [(club, "Hip airplane")]
