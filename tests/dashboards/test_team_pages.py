"""The coach's team pages beyond load: attendance per week, answers for the next event and who has logged today,
rendered by AppTest against the real gateway (calendar, training, users) and stats API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from dashboards.display import EMPTY
from tests.dashboards.conftest import ids_shown, open_dashboard, raw_empty_cells, table_rows, texts
from tests.operational.stats.statistics_marts import StatisticsWarehouse

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


def test_attendance_per_week_counted_from_the_calendar(monkeypatch, stats_url, gateway_url, marts, cal_club):
    """Until the statistics service offers attendance, the page counts the calendar's records; excused absences
    do not lower a rate."""
    club = cal_club
    first = (datetime.now(UTC) - timedelta(days=9)).replace(hour=16, minute=0, second=0, microsecond=0)
    series = _event(gateway_url, club, first, rrule="FREQ=WEEKLY;COUNT=2")
    records = {
        first: [("player", "present"), ("teammate", "absent")],
        first + timedelta(days=7): [("player", "late"), ("teammate", "excused")],
    }
    for start, taken in records.items():
        body = {
            "records": [
                {"player_id": str(club[name].id), "status": status} | ({"reason": "ill"} if status == "excused" else {})
                for name, status in taken
            ]
        }
        response = httpx.put(
            f"{gateway_url}/api/v1/calendar/events/{series}/occurrences/{_occurrence(start)}/attendance",
            json=body,
            headers=_headers(club["coach"]),
        )
        assert response.status_code == 200, response.text

    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="attendance")

    assert not app.exception, app.exception
    assert not app.error, texts(app.error)
    rows = table_rows(app.dataframe[0])
    assert [r["Player"] for r in rows] == ["Player", "Teammate"]
    weeks = [c for c in rows[0] if c.startswith("Week of")]
    assert len(weeks) == 2
    assert [rows[0][w] for w in weeks] + [rows[0]["Whole period"]] == ["100%", "100%", "100%"]
    assert [rows[1][w] for w in weeks] + [rows[1]["Whole period"]] == ["0%", EMPTY, "0%"]
    assert any("Counted from the club calendar" in c.value for c in app.caption)
    assert ids_shown(app, _ids(club)) == []
    assert raw_empty_cells(app) == []


def test_attendance_without_records_says_so(monkeypatch, stats_url, gateway_url, marts, cal_club):
    app = open_dashboard(monkeypatch, stats_url, cal_club["coach"].token, gateway_url=gateway_url, page="attendance")

    assert not app.exception
    assert texts(app.info) == [
        "No attendance recorded for U16 in this period: it appears once coaches take attendance."
    ]


def test_logged_today_names_who_has_not_logged(monkeypatch, stats_url, gateway_url, marts, club):
    today = datetime.now(ZoneInfo(club["player"].principal.time_zone)).date()
    logged = httpx.post(
        f"{gateway_url}/api/v1/training/rpe-logs",
        json={"session_date": today.isoformat(), "rpe": 6, "duration_minutes": 60, "team_id": str(club.team_id)},
        headers=_headers(club["player"]),
    )
    assert logged.status_code == 201, logged.text
    answered = httpx.post(
        f"{gateway_url}/api/v1/training/wellness", json={"items": HOOPER}, headers=_headers(club["teammate"])
    )
    assert answered.status_code == 201, answered.text

    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="compliance")

    assert not app.exception, app.exception
    assert not app.error, texts(app.error)
    assert {m.label: m.value for m in app.get("metric")} == {
        "Logged RPE today": "1 of 2", "Answered wellness today": "1 of 2"
    }  # fmt: skip
    assert texts(app.warning) == ["No RPE logged today: Teammate.", "No wellness answer today: Player."]
    rows = {r["Player"]: r for r in table_rows(app.dataframe[0])}
    assert (rows["Player"]["RPE today"], rows["Player"]["Last RPE"], rows["Player"]["Days since RPE"]) == (
        "yes", today.isoformat(), "0"
    )  # fmt: skip
    assert (rows["Player"]["Last wellness"], rows["Player"]["Days since wellness"]) == (EMPTY, EMPTY)
    assert ids_shown(app, _ids(club)) == []
    assert raw_empty_cells(app) == []
