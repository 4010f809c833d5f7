"""Availability and injury surveillance for team staff, and the medical staff's pages (open problems, return to
play, access log), rendered by AppTest against the real gateway (medical service) and stats API."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import httpx

from operational.stats.surveillance.service import season_of
from tests.dashboards.helpers import add_roster, ids_shown, open_dashboard, raw_empty_cells, table_rows, texts
from tests.messaging import drain_and_consume
from tests.operational.medical.helpers import problem_body
from tests.operational.stats.medical_marts import MedicalWarehouse
from tests.operational.stats.snapshots import club_today
from tests.operational.stats.statistics_marts import AVAILABILITY


def _ids(club) -> list:
    return [p.id for p in club.people.values()] + [club.team_id, club.other_team_id]


def test_availability_names_who_is_out_and_when_they_are_back(monkeypatch, stats_url, gateway_url, warehouse, club):
    add_roster(warehouse, club)
    today = club_today()
    warehouse.insert(
        AVAILABILITY, player_id=club["teammate"].id, org_id=club.org_id, availability_status="limited",
        restrictions_json=json.dumps(["no_contact"]), effective_from=today, expected_until=today + timedelta(days=3),
    )  # fmt: skip
    warehouse.publish()

    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="availability")

    assert not app.exception, app.exception
    assert not app.error, texts(app.error)
    assert {m.label: m.value for m in app.get("metric")} == {"Available": "1", "Limited": "1", "Unavailable": "0"}
    today_rows = table_rows(app.dataframe[0])
    assert [(r["Player"], r["Status"], r["Restrictions"]) for r in today_rows] == [
        ("Teammate", "Limited", "no contact"), ("Player", "Available", "—")
    ]  # fmt: skip
    ahead = table_rows(app.dataframe[1])
    assert ahead[3]["Expected back"] == "Teammate" and ahead[3]["Available"] == "2"
    assert texts(app.info) == ["No weeks to show yet: they appear after the next pipeline run."]
    assert ids_shown(app, _ids(club)) == []
    assert raw_empty_cells(app) == []


def test_injury_surveillance_draws_burden_with_intervals_and_the_risk_matrix(
    monkeypatch, stats_url, gateway_url, warehouse, club
):
    add_roster(warehouse, club)
    marts, today = MedicalWarehouse(warehouse), club_today()
    season, onset = season_of(today), today - timedelta(days=30)
    players = [club["player"].id, club["teammate"].id, *(uuid.uuid4() for _ in range(4))]
    for player in players:
        marts.add_exposure(club.org_id, player, club.team_id, onset, season=season, hours=50.0)
    for player, days in zip(players, (6, 14, 30), strict=False):
        marts.add_problem(club.org_id, player, club.team_id, season=season, onset=onset, days=days)
    for breakdown, value in (("all", "All"), ("body_area", "Thigh"), ("osiics_group", "TM")):
        marts.add_incidence(club.org_id, club.team_id, season=season, breakdown=breakdown, value=value, problems=3,
                            closed_days=[6, 14, 30], hours=300.0)  # fmt: skip
    warehouse.publish()

    app = open_dashboard(
        monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="injury_surveillance"
    )

    assert not app.exception, app.exception
    assert not app.error, texts(app.error)
    metrics = {m.label: m.value for m in app.get("metric")}
    # 3 / 300 h × 1,000 = 10.0 per 1,000 h; mean (6 + 14 + 30) / 3 = 16.7 days; burden 166.7
    assert (metrics["Problems"], metrics["Incidence per 1,000 h"], metrics["Mean severity (days)"]) == (
        "3", "10.0", "16.7"
    )  # fmt: skip
    assert metrics["Burden, days per 1,000 h"].startswith("167 (")
    figures = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    burden = next(f for f in figures if f["layout"]["title"]["text"].startswith("Burden"))
    assert burden["data"][0]["error_y"]["visible"]
    matrix = next(f for f in figures if f["layout"]["title"]["text"] == "Risk matrix")
    assert any("days per 1,000 h" in trace["name"] for trace in matrix["data"])  # the iso-burden curves
    assert ids_shown(app, _ids(club)) == []


def test_injury_surveillance_shows_injuries_and_illnesses_whose_figures_are_the_same(
    monkeypatch, stats_url, gateway_url, warehouse, club
):
    """As many illnesses as injuries, as long and over the same hours (one merged group each, as a coach sees a
    small team's): both sections draw their three charts, though the charts are equal."""
    add_roster(warehouse, club)
    marts, today = MedicalWarehouse(warehouse), club_today()
    season, onset = season_of(today), today - timedelta(days=30)
    for player in (club["player"].id, club["teammate"].id):
        marts.add_exposure(club.org_id, player, club.team_id, onset, season=season, hours=50.0)
    for kind in ("injury", "illness"):
        marts.add_problem(club.org_id, club["player"].id, club.team_id, season=season, onset=onset, days=6, kind=kind)
        for breakdown, value in (("all", "All"), ("body_area", "Thigh"), ("osiics_group", "TM")):
            marts.add_incidence(club.org_id, club.team_id, season=season, breakdown=breakdown, value=value,
                                problems=1, closed_days=[6], hours=100.0, kind=kind)  # fmt: skip
    warehouse.publish()

    app = open_dashboard(
        monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="injury_surveillance"
    )

    assert not app.exception, app.exception
    assert {"Injuries", "Illnesses"} <= set(texts(app.subheader))
    assert len(app.get("plotly_chart")) == 6


def test_medical_staff_see_open_problems_the_stage_board_and_the_access_log(
    monkeypatch, stats_url, gateway_url, settings, warehouse, club
):
    add_roster(warehouse, club)
    warehouse.publish()
    drain_and_consume(settings, services=["medical"])  # the medical service learns the rosters
    medic = {"Authorization": f"Bearer {club['medic'].token}"}
    body = problem_body(club["player"], osiics_code="HN1", side=None, mechanism="contact")
    recorded = httpx.post(f"{gateway_url}/api/v1/medical/problems", json=body, headers=medic)
    assert recorded.status_code == 201, recorded.text
    problem_id = recorded.json()["id"]
    started = httpx.post(f"{gateway_url}/api/v1/medical/problems/{problem_id}/return-to-play",
                         json={"protocol": "concussion_graduated_return"}, headers=medic)  # fmt: skip
    assert started.status_code == 201, started.text

    problems = open_dashboard(monkeypatch, stats_url, club["medic"].token, gateway_url=gateway_url)
    board = open_dashboard(monkeypatch, stats_url, club["medic"].token, gateway_url=gateway_url, page="rtp_board")
    log = open_dashboard(monkeypatch, stats_url, club["medic"].token, gateway_url=gateway_url, page="access_log")
    assert log.selectbox[0].options == ["Other Player", "Player", "Teammate"]
    log.selectbox[0].set_value(str(club["player"].id)).run()

    for app in (problems, board, log):
        assert not app.exception, app.exception
        assert not app.error, texts(app.error)
        assert ids_shown(app, _ids(club)) == []
    [row] = table_rows(problems.dataframe[0])
    assert (row["Player"], row["Body area"], row["Days since onset"]) == ("Player", "Head", "14")
    assert any(text.startswith("- Player (") for text in texts(board.markdown))
    entries = table_rows(log.dataframe[0])
    assert {e["Action"] for e in entries} >= {"Recorded", "Read"}  # the record's changes, and the reads above
    assert {e["Who"] for e in entries} == {"You"}  # the viewer is the only one who opened it
