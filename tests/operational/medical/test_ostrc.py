"""The weekly OSTRC-H2 questionnaire (Clarsen et al. 2020): scores checked by hand, the "substantial problem" rule,
who answers for whom, and a newly reported problem on medical staff's task list."""

from __future__ import annotations

import pytest

from tests.operational.medical.helpers import BASE, days_ago, record

HEALTHY = {"participation": "full_without_health_problem"}


def answer(gateway, club, who="player", **body):
    return gateway.post(f"{BASE}/ostrc", json=body, headers=club[who].headers)


@pytest.mark.parametrize(
    ("answers", "score", "substantial"),
    [
        (HEALTHY, 0, False),
        # 8 + 6 + 0 + 8
        ({"participation": "full_with_health_problem", "training_volume": "minor", "symptoms": "mild"}, 22, False),
        # 17 + 6 + 13 + 8: performance moderately affected
        (
            {
                "participation": "reduced_due_to_health_problem",
                "training_volume": "minor",
                "performance": "moderate",
                "symptoms": "mild",
            },
            44,
            True,
        ),  # fmt: skip
        # 17 + 13 + 6 + 17: training volume moderately reduced
        (
            {
                "participation": "reduced_due_to_health_problem",
                "training_volume": "moderate",
                "performance": "minor",
                "symptoms": "moderate",
            },
            53,
            True,
        ),  # fmt: skip
        # 25 × 4
        (
            {
                "participation": "could_not_participate",
                "training_volume": "could_not_participate",
                "performance": "could_not_participate",
                "symptoms": "severe",
            },
            100,
            True,
        ),  # fmt: skip
    ],
)
def test_severity_score_and_substantial_problems(gateway, medical_club, answers, score, substantial):
    kind = {} if answers is HEALTHY else {"problem_kind": "injury"}
    response = answer(gateway, medical_club, **answers, **kind)

    assert response.status_code == 201, response.text
    assert (response.json()["severity_score"], response.json()["substantial"]) == (score, substantial)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**HEALTHY, "symptoms": "mild"}, "participation"),
        ({"participation": "full_with_health_problem", "symptoms": "mild"}, "problem_kind"),
        ({**HEALTHY, "week_start": days_ago(-8)}, "week_start"),
        ({**HEALTHY, "week_start": days_ago(60)}, "week_start"),
        ({"participation": "sometimes"}, "participation"),
    ],
)
def test_answers_that_do_not_fit_are_a_422(gateway, medical_club, body, field):
    response = answer(gateway, medical_club, **body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field or field in {d.get("field") for d in error.get("details") or []}


def test_a_week_is_answered_once(gateway, medical_club):
    assert answer(gateway, medical_club, **HEALTHY).status_code == 201
    assert answer(gateway, medical_club, **HEALTHY).status_code == 409


def test_a_guardian_answers_for_their_minor_and_nobody_for_someone_else(gateway, medical_club):
    player = str(medical_club["player"].id)
    assert answer(gateway, medical_club, "parent", **HEALTHY).status_code == 422  # must name the minor
    response = answer(gateway, medical_club, "parent", player_id=player, **HEALTHY)
    assert response.status_code == 201 and response.json()["answered_by"] == str(medical_club["parent"].id)
    assert answer(gateway, medical_club, "teammate", player_id=player, **HEALTHY).status_code == 403
    assert answer(gateway, medical_club, "coach", **HEALTHY).status_code == 403


def test_answers_are_clinical(gateway, medical_club):
    answer(gateway, medical_club, **HEALTHY)
    player = str(medical_club["player"].id)

    def listed(who, **params):
        response = gateway.get(f"{BASE}/ostrc", params=params, headers=medical_club[who].headers)
        return response.status_code, [item["player_id"] for item in response.json().get("items", [])]

    assert listed("player") == (200, [player])
    assert listed("parent") == (200, [player])
    assert listed("medic", player_id=player) == (200, [player])
    assert listed("coach") == (200, [])
    assert listed("coach", player_id=player)[0] == 403


def test_a_new_problem_raises_a_task_for_medical_staff(gateway, medical_club):
    reported = {"participation": "reduced_due_to_health_problem", "training_volume": "moderate",
                "symptoms": "moderate", "problem_kind": "illness", "new_problem": True}  # fmt: skip
    response = answer(gateway, medical_club, **reported)
    assert response.status_code == 201

    tasks = gateway.get(f"{BASE}/tasks", headers=medical_club["medic"].headers).json()["items"]
    (task,) = [t for t in tasks if t["player_id"] == str(medical_club["player"].id)]
    assert (task["kind"], task["response_id"], task["done_at"]) == ("ostrc_new_problem", response.json()["id"], None)
    assert gateway.get(f"{BASE}/tasks", headers=medical_club["coach"].headers).status_code == 403

    done = gateway.post(f"{BASE}/tasks/{task['id']}/done", headers=medical_club["medic"].headers)
    assert done.status_code == 200 and done.json()["done_by"] == str(medical_club["medic"].id)
    still_open = gateway.get(f"{BASE}/tasks", headers=medical_club["medic"].headers).json()["items"]
    assert task["id"] not in {t["id"] for t in still_open}
    assert gateway.post(f"{BASE}/tasks/{task['id']}/done", headers=medical_club["player"].headers).status_code == 403


def test_a_problem_already_being_followed_raises_no_task(gateway, medical_club):
    record(gateway, medical_club)
    reported = {"participation": "full_with_health_problem", "symptoms": "mild", "problem_kind": "injury"}
    assert answer(gateway, medical_club, **reported).status_code == 201
    tasks = gateway.get(f"{BASE}/tasks", headers=medical_club["medic"].headers).json()["items"]
    assert str(medical_club["player"].id) not in {t["player_id"] for t in tasks}
