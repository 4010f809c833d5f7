"""The coach's team pages beyond load: attendance per week, answers for the next event and who has logged today,
rendered by AppTest against the real gateway (calendar, training, users) and stats API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from dashboards.display import EMPTY
from tests.dashboards.helpers import add_roster, ids_shown, open_dashboard, raw_empty_cells, table_rows, texts
from tests.operational.stats.statistics_marts import StatisticsWarehouse, monday_of

HOOPER = {"sleep_quality": 3, "fatigue": 3, "stress": 2, "muscle_soreness": 4}


def _headers(person) -> dict[str, str]:
    return {"Authorization": f"Bearer {person.token}"}


def _event(gateway_url, club, starts_at: datetime, **extra) -> str:
    body = {
        "kind": "practice",
        "title": "Ice practice",
        "team_id": str(club.team_id),
        "starts_at": starts_at.isoformat(),
        "duration_minutes": 90,
        "location": "Rink 2",
        **extra,
    }
    response = httpx.post(f"{gateway_url}/api/v1/calendar/events", json=body, headers=_headers(club["coach"]))
    assert response.status_code == 201, response.text
    return response.json()["event"]["id"]


def _occurrence(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ids(club) -> list:
    return [p.id for p in club.people.values()] + [club.team_id, club.other_team_id]


@pytest.fixture
def marts(warehouse):
    StatisticsWarehouse(warehouse).publish()


def test_next_event_shows_answers_and_who_has_not_answered(monkeypatch, stats_url, gateway_url, marts, cal_club):
    club = cal_club
    starts = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=2)
    series = _event(gateway_url, club, starts)
    answered = httpx.put(
        f"{gateway_url}/api/v1/calendar/events/{series}/occurrences/{_occurrence(starts)}/rsvp",
        json={"response": "not_going", "reason": "School trip"},
        headers=_headers(club["teammate"]),
    )
    assert answered.status_code == 200, answered.text

    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="next_event")

    assert not app.exception, app.exception
    assert not app.error, texts(app.error)
    assert texts(app.subheader) == ["Practice: Ice practice"]
    zone = ZoneInfo(club["coach"].principal.time_zone)
    assert starts.astimezone(zone).strftime("%a %d %b %Y, %H:%M") in app.markdown[0].value
    assert {m.label: m.value for m in app.get("metric")} == {
        "Going": "0", "Not going": "1", "Maybe": "0", "Not answered": "1"
    }  # fmt: skip
    assert texts(app.warning) == ["Not answered yet: Player."]
    rows = table_rows(app.dataframe[0])
    assert [(r["Player"], r["Answer"], r["Reason"]) for r in rows] == [
        ("Player", "Not answered", EMPTY),
        ("Teammate", "Not going", "School trip"),
    ]
    assert ids_shown(app, _ids(club)) == []
    assert raw_empty_cells(app) == []


def test_next_event_without_events_says_so(monkeypatch, stats_url, gateway_url, marts, cal_club):
    app = open_dashboard(monkeypatch, stats_url, cal_club["coach"].token, gateway_url=gateway_url, page="next_event")

    assert not app.exception
    assert texts(app.info) == ["U16 has no event in the next 60 days."]


def test_attendance_per_week_from_the_warehouse(monkeypatch, stats_url, gateway_url, warehouse, club):
    """Each player's rate per week and over the period; excused absences do not lower a rate, and a week with
    nothing to count is said as — rather than 0 %."""
    add_roster(warehouse, club)
    marts = StatisticsWarehouse(warehouse)
    this_week = monday_of(datetime.now(ZoneInfo(club["coach"].principal.time_zone)).date())
    last_week = this_week - timedelta(days=7)
    player, teammate = club["player"].id, club["teammate"].id
    for week in (last_week, this_week):
        marts.add_attendance_week(club.org_id, player, club.team_id, week, recorded=1, attended=1)
    marts.add_attendance_week(club.org_id, teammate, club.team_id, last_week, recorded=1, attended=0)
    marts.add_attendance_week(club.org_id, teammate, club.team_id, this_week, recorded=1, attended=0, excused=1)
    marts.publish()

    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="attendance")

    assert not app.exception, app.exception
    assert not app.error, texts(app.error)
    rows = table_rows(app.dataframe[0])
    assert [r["Player"] for r in rows] == ["Player", "Teammate"]
    weeks = [c for c in rows[0] if c.startswith("Week of")]
    assert len(weeks) == 2
    assert [rows[0][w] for w in weeks] + [rows[0]["Whole period"]] == ["100%", "100%", "100%"]
    assert [rows[1][w] for w in weeks] + [rows[1]["Whole period"]] == ["0%", EMPTY, "0%"]
    assert ids_shown(app, _ids(club)) == []
    assert raw_empty_cells(app) == []


def test_attendance_without_records_says_so(monkeypatch, stats_url, gateway_url, marts, cal_club):
    app = open_dashboard(monkeypatch, stats_url, cal_club["coach"].token, gateway_url=gateway_url, page="attendance")

    assert not app.exception
    assert texts(app.info) == [
        "No attendance recorded for U16 in this period: it appears once coaches take attendance."
    ]


def test_logged_today_names_who_has_not_logged(monkeypatch, stats_url, gateway_url, warehouse, club):
    today = datetime.now(ZoneInfo(club["player"].principal.time_zone)).date()
    add_roster(warehouse, club)
    warehouse.add_day(club.org_id, club["player"].id, club.team_id, today)
    StatisticsWarehouse(warehouse).add_wellness(club.org_id, club["teammate"].id, club.team_id, today, z=None)
    monday = today - timedelta(days=today.weekday())
    warehouse.insert(
        "marts.fct_monitoring_compliance_weekly", team_week_id=f"{club.org_id}|{club.team_id}|{monday}",
        org_id=club.org_id, team_id=club.team_id, week_start=monday, players_on_roster=2, expected_wellness_answers=14,
        wellness_answers=10, wellness_compliance=0.714, sessions_attended=4, rpe_logs=3, rpe_compliance=0.75,
    )  # fmt: skip
    warehouse.publish()

    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="compliance")

    assert not app.exception, app.exception
    assert not app.error, texts(app.error)
    assert {m.label: m.value for m in app.get("metric")} == {
        "Logged RPE today": "1 of 2", "Answered wellness today": "1 of 2"
    }  # fmt: skip
    assert texts(app.warning) == [
        "No RPE logged today: Teammate.",
        "No wellness answer today: Player.",
        "No RPE logged since Monday: Teammate.",
        "No wellness answer since Monday: Player.",
    ]
    rows = {r["Player"]: r for r in table_rows(app.dataframe[0])}
    assert (rows["Player"]["RPE today"], rows["Player"]["Last RPE"], rows["Player"]["Days since RPE"]) == (
        "yes", today.isoformat(), "0"
    )  # fmt: skip
    assert (rows["Player"]["Last wellness"], rows["Player"]["Days since wellness"]) == (EMPTY, EMPTY)
    [week] = table_rows(app.dataframe[1])
    assert (week["Wellness answered"], week["Wellness compliance"], week["RPE logs per attended session"]) == (
        "10 of 14", "71%", "0.75"
    )  # fmt: skip
    assert ids_shown(app, _ids(club)) == []
    assert raw_empty_cells(app) == []
