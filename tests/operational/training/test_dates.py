"""One rule for the dates of logs (RPE, wellness, test results): not in the club's future, not more than a year back,
decided in the club's time zone, which is also where the default "today" comes from."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from operational.training.dates import a_year_before
from tests.operational.training.helpers import BASE, HOOPER

# UTC+14 and UTC−11: whatever the hour, their calendar days differ from each other (and mostly from UTC's)
AHEAD, BEHIND = "Pacific/Kiritimati", "Pacific/Pago_Pago"


def _today(zone: str) -> date:
    return datetime.now(ZoneInfo(zone)).date()


def _post(gateway, person, kind: str, day: date | None, **extra):
    """Log RPE or wellness on ``day`` (the default day when None); the response and the date's field name."""
    if kind == "rpe":
        body, key, path = {"rpe": 5, "duration_minutes": 40, **extra}, "session_date", "/rpe-logs"
    else:
        body, key, path = {"items": HOOPER, **extra}, "wellness_date", "/wellness"
    if day is not None:
        body[key] = day.isoformat()
    return gateway.post(BASE + path, json=body, headers=person.headers), key


@pytest.fixture
def sprint(gateway, club, sync_read_models):
    sync_read_models()
    test = {"name": "30 m sprint", "unit": "s", "direction": "lower_is_better"}
    return gateway.post(f"{BASE}/tests", json=test, headers=club["coach"].headers).json()["id"]


def _cases():
    today = date.today()
    return [
        ("far past", date(1, 1, 1), 422),
        ("1950", date(1950, 6, 1), 422),
        ("a year and a day back", a_year_before(today) - timedelta(days=1), 422),
        ("a year back", a_year_before(today), 201),
        ("yesterday", today - timedelta(days=1), 201),
        ("the day after tomorrow", today + timedelta(days=2), 422),
    ]


@pytest.mark.parametrize("kind", ["rpe", "wellness", "test result"])
@pytest.mark.parametrize(("label", "day", "status"), _cases(), ids=[c[0] for c in _cases()])
def test_one_rule_for_the_dates_of_logs(gateway, club, sprint, kind, label, day, status):
    if kind == "test result":
        response = gateway.post(
            f"{BASE}/tests/{sprint}/results",
            json={"player_id": str(club["player"].id), "value": 4.2, "tested_on": day.isoformat()},
            headers=club["coach"].headers,
        )
        field = "tested_on"
    else:
        response, field = _post(gateway, club["player"], kind, day)
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["error"]["field"] == field


@pytest.mark.parametrize("kind", ["rpe", "wellness"])
def test_without_a_date_the_log_is_for_today_in_the_clubs_time_zone(gateway, club, as_, kind):
    for zone in (AHEAD, BEHIND):
        player = as_(club["player"], time_zone=zone)
        before = _today(zone)
        response, key = _post(gateway, player, kind, None, **({"rpe": 6} if kind == "rpe" else {}))
        assert response.status_code == 201, response.text
        assert response.json()[key] in {before.isoformat(), _today(zone).isoformat()}


@pytest.mark.parametrize("kind", ["rpe", "wellness"])
def test_the_future_is_the_clubs_future(gateway, club, as_, kind):
    ahead_today = _today(AHEAD)
    behind = as_(club["player"], time_zone=BEHIND)
    ahead = as_(club["player"], time_zone=AHEAD)
    # Kiritimati's today is always tomorrow (or later) in Pago Pago: a future day there, today where it is
    refused, key = _post(gateway, behind, kind, ahead_today)
    accepted, _ = _post(gateway, ahead, kind, ahead_today, **({"rpe": 8} if kind == "rpe" else {}))
    assert refused.status_code == 422 and refused.json()["error"]["field"] == key
    assert "future in your club's time zone" in refused.json()["error"]["message"]
    assert accepted.status_code == 201, accepted.text
