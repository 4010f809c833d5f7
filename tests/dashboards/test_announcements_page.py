"""The coach's announcements page: each announcement of the team that players must acknowledge, its deadline, how
many have and who has not by name, from the comms service's report through the gateway."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.dashboards.helpers import ids_shown, open_dashboard, raw_empty_cells, table_rows, texts
from tests.messaging import drain_and_consume
from tests.operational.stats.statistics_marts import StatisticsWarehouse

COMMS = "/api/v1/comms/announcements"


def _headers(person) -> dict[str, str]:
    return {"Authorization": f"Bearer {person.token}"}


@pytest.fixture
def comms_ready(settings, club, warehouse):
    """The club with its teams and rosters known to comms (as the worker keeps them), and statistics published."""
    drain_and_consume(settings, services=["comms"])
    StatisticsWarehouse(warehouse).publish()
    return club


def _announce(gateway_url, club, title: str, **extra) -> dict:
    body = {"team_id": str(club.team_id), "title": title, "body": "Details at practice.", **extra}
    response = httpx.post(f"{gateway_url}{COMMS}", json=body, headers=_headers(club["coach"]))
    assert response.status_code == 201, response.text
    return response.json()


def test_the_coach_sees_who_has_not_acknowledged_by_name(monkeypatch, stats_url, gateway_url, comms_ready):
    club = comms_ready
    deadline = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    forms = _announce(gateway_url, club, "Medical forms", requires_acknowledgement=True, deadline=deadline.isoformat())
    _announce(gateway_url, club, "New jerseys are in", requires_acknowledgement=False)
    acknowledged = httpx.post(f"{gateway_url}{COMMS}/{forms['id']}/acknowledge", headers=_headers(club["teammate"]))
    assert acknowledged.status_code == 200, acknowledged.text

    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="announcements")

    assert not app.exception, app.exception
    assert not app.error, texts(app.error)
    assert texts(app.subheader) == ["Medical forms"]  # the one asking for no acknowledgement is not listed
    assert "Acknowledge by" in app.caption[0].value and "by Coach" in app.caption[0].value
    assert {m.label: m.value for m in app.get("metric")} == {"Acknowledged": "1 of 2"}
    assert texts(app.warning) == ["Not acknowledged yet: Player."]
    rows = table_rows(app.dataframe[0])
    assert [(r["Player"], r["By"], r["In time"]) for r in rows] == [
        ("Player", "—", "—"),
        ("Teammate", "Teammate", "Yes"),
    ]
    assert ids_shown(app, [p.id for p in club.people.values()] + [club.team_id, forms["id"]]) == []
    assert raw_empty_cells(app) == []


def test_a_team_without_such_announcements_says_what_to_do(monkeypatch, stats_url, gateway_url, comms_ready):
    app = open_dashboard(
        monkeypatch, stats_url, comms_ready["coach"].token, gateway_url=gateway_url, page="announcements"
    )
    assert not app.exception, app.exception
    assert not app.error, texts(app.error)
    assert "Post one that they must acknowledge" in texts(app.info)[0]
