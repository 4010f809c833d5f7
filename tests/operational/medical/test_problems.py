"""Health problems: recording, the rules they keep (clear 422s), recurrences, and who may read them."""

from __future__ import annotations

import pytest

from tests.operational.medical.helpers import BASE, days_ago, problem_body, record


def test_medical_staff_record_a_problem_with_its_osiics_classification(gateway, medical_club):
    body = record(gateway, medical_club)

    assert body["player_id"] == str(medical_club["player"].id)
    assert body["team_id"] == str(medical_club.team_id)
    assert (body["osiics_code"], body["osiics_group"], body["body_area"]) == ("GT1", "GT", "Hip/groin")
    assert body["is_open"] is True and body["severity_days"] is None and body["recurrence_of"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"osiics_code": "QQQ9"}, "osiics_code"),
        ({"osiics_code": "MPIX"}, "osiics_code"),  # an illness code for an injury
        ({"side": None}, "side"),  # the hip is a paired body area
        ({"partial_return_date": days_ago(20)}, "partial_return_date"),  # before the onset
        ({"partial_return_date": days_ago(3), "full_training_date": days_ago(5)}, "full_training_date"),
        ({"full_training_date": days_ago(3), "return_to_play_date": days_ago(4)}, "return_to_play_date"),
        ({"onset_date": days_ago(-2)}, "onset_date"),
        ({"partial_return_date": days_ago(-1)}, "partial_return_date"),
        ({"kind": "illness", "osiics_code": "MPIX", "side": None}, "mechanism"),
        ({"restrictions": ["no_flying"]}, "restrictions"),
        ({"org_id": "00000000-0000-0000-0000-000000000000"}, "org_id"),
    ],
)
def test_a_problem_that_breaks_a_rule_is_a_422_naming_the_field(gateway, medical_club, overrides, field):
    response = gateway.post(f"{BASE}/problems", json=problem_body(medical_club["player"], **overrides),
                            headers=medical_club["medic"].headers)  # fmt: skip

    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert field in (error["field"] or "") or field in {d.get("field") for d in error.get("details") or []}
    assert error["message"]


def test_a_side_is_not_needed_where_the_body_has_one_of_it(gateway, medical_club):
    body = record(gateway, medical_club, osiics_code="HN1", side=None, mechanism="contact")
    assert body["side"] is None and body["body_area"] == "Head"


def test_an_illness_needs_no_side_or_mechanism(gateway, medical_club):
    body = record(gateway, medical_club, kind="illness", osiics_code="MPIX", side=None, mechanism=None,
                  onset="gradual", activity="other")  # fmt: skip
    assert (body["kind"], body["osiics_group"], body["body_area"]) == ("illness", "MP", "Medical")


def test_same_code_and_side_within_two_months_of_return_is_a_recurrence(gateway, medical_club):
    index = record(gateway, medical_club, onset_date=days_ago(80), partial_return_date=days_ago(70),
                   full_training_date=days_ago(65), return_to_play_date=days_ago(60))  # fmt: skip
    assert index["severity_days"] == 20 and index["is_open"] is False

    recurrence = record(gateway, medical_club, onset_date=days_ago(10))
    other_side = record(gateway, medical_club, onset_date=days_ago(10), side="right")
    other_code = record(gateway, medical_club, onset_date=days_ago(10), osiics_code="GTL")

    assert recurrence["recurrence_of"] == index["id"]
    assert other_side["recurrence_of"] is None and other_code["recurrence_of"] is None


def test_a_problem_long_after_the_return_is_a_new_one(gateway, medical_club):
    record(gateway, medical_club, onset_date=days_ago(200), return_to_play_date=days_ago(150))
    assert record(gateway, medical_club, onset_date=days_ago(5))["recurrence_of"] is None


def test_correcting_dates_keeps_them_in_order_and_closes_the_problem(gateway, medical_club):
    problem = record(gateway, medical_club)
    url, medic = f"{BASE}/problems/{problem['id']}", medical_club["medic"].headers

    wrong = gateway.patch(url, json={"full_training_date": days_ago(2), "partial_return_date": days_ago(1)},
                          headers=medic)  # fmt: skip
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "full_training_date"

    closed = gateway.patch(url, json={"partial_return_date": days_ago(7), "full_training_date": days_ago(3),
                                      "return_to_play_date": days_ago(1)}, headers=medic)  # fmt: skip
    assert closed.status_code == 200, closed.text
    assert closed.json()["severity_days"] == 13 and closed.json()["is_open"] is False


def test_who_reads_a_problem(gateway, medical_club, other_club):
    problem = record(gateway, medical_club)
    url = f"{BASE}/problems/{problem['id']}"

    for who in ("medic", "player", "parent"):
        response = gateway.get(url, headers=medical_club[who].headers)
        assert response.status_code == 200, (who, response.text)
        assert response.json()["diagnosis"] == "Adductor longus origin strain"
    for who in ("coach", "admin", "teammate", "other_coach"):
        assert gateway.get(url, headers=medical_club[who].headers).status_code == 403, who
    for who in ("medic", "admin", "player"):
        assert gateway.get(url, headers=other_club[who].headers).status_code == 404, who


def test_only_medical_staff_record_and_correct(gateway, medical_club):
    for who in ("coach", "admin", "player", "parent"):
        response = gateway.post(f"{BASE}/problems", json=problem_body(medical_club["player"]),
                                headers=medical_club[who].headers)  # fmt: skip
        assert response.status_code == 403, who
    problem = record(gateway, medical_club)
    response = gateway.patch(f"{BASE}/problems/{problem['id']}", json={"notes": "x"},
                             headers=medical_club["player"].headers)  # fmt: skip
    assert response.status_code == 403


def test_lists_show_each_person_what_is_theirs(gateway, medical_club):
    mine = record(gateway, medical_club)
    theirs = record(gateway, medical_club, player_id=str(medical_club["teammate"].id))

    def ids(who, **params):
        response = gateway.get(f"{BASE}/problems", params=params, headers=medical_club[who].headers)
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert {mine["id"], theirs["id"]} <= ids("medic")
    assert ids("player") == {mine["id"]}
    assert ids("parent") == {mine["id"]}
    assert ids("teammate") == {theirs["id"]}
    assert gateway.get(f"{BASE}/problems", headers=medical_club["coach"].headers).status_code == 403
    assert ids("medic", player_id=str(medical_club["teammate"].id)) == {theirs["id"]}


EVERY_BODY_AREA = {
    *("Head", "Neck", "Shoulder", "Upper arm", "Elbow", "Forearm", "Wrist", "Hand", "Chest", "Thoracic spine"),
    *("Lumbosacral", "Abdomen", "Hip/groin", "Thigh", "Knee", "Lower leg", "Ankle", "Foot", "Medical"),
}


def test_the_code_table_covers_every_body_area_and_common_hockey_problems(gateway, medical_club):
    response = gateway.get(f"{BASE}/osiics-codes", params={"limit": 500}, headers=medical_club["medic"].headers)
    codes = {item["code"]: item for item in response.json()["items"]}

    areas = {item["body_area"] for item in codes.values()}
    assert areas >= EVERY_BODY_AREA
    for code in ("HN1", "GT1", "KL3", "SL2", "TH1", "AL1", "HK1", "MPIX"):
        assert code in codes, code
    assert codes["KL3"]["needs_side"] is True and codes["HN1"]["needs_side"] is False


def test_erasure_removes_the_clinical_record_and_keeps_the_access_log(gateway, medical_club, settings):
    from contracts.users import UserAnonymized, UserAnonymizedEvent
    from tests.messaging import apply_events
    from tests.operational.medical.helpers import sql
    from tests.operational.training.helpers import envelope

    problem = record(gateway, medical_club)
    gateway.get(f"{BASE}/problems/{problem['id']}", headers=medical_club["player"].headers)
    player_id = medical_club["player"].id
    erased = envelope(UserAnonymizedEvent, medical_club.org_id, UserAnonymized(user_id=player_id))

    assert apply_events(settings, "medical", [erased]) == 1

    for table in ("health_problems", "availability", "roster"):
        column = "user_id" if table == "roster" else "player_id"
        assert sql(settings, f"SELECT count(*) FROM medical.{table} WHERE {column} = %s", player_id) == [(0,)], table
    assert sql(settings, "SELECT count(*) FROM medical.access_log WHERE player_id = %s", player_id) == [(2,)]
    assert sql(settings, "SELECT medical.verify_access_log(%s)", medical_club.org_id) == [(None,)]


def test_the_player_exports_their_whole_medical_record(gateway, medical_club):
    problem = record(gateway, medical_club)
    url = f"{BASE}/players/{medical_club['player'].id}/export"

    for who in ("coach", "admin", "teammate"):
        assert gateway.get(url, headers=medical_club[who].headers).status_code == 403, who
    response = gateway.get(url, headers=medical_club["parent"].headers)

    assert response.status_code == 200, response.text
    tables = response.json()["tables"]
    assert [p["diagnosis"] for p in tables["health_problems"]] == [problem["diagnosis"]]
    assert tables["availability"][0]["status"] == "unavailable"
    assert {"treatments", "return_to_play", "ostrc_responses", "documents", "access_log"} <= tables.keys()
    assert all(row["player_id"] == str(medical_club["player"].id) for row in tables["access_log"])
