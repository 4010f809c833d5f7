"""The Admin section: club usage and system status, as a club admin sees them, against the real APIs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.dashboards.helpers import ids_shown, open_dashboard, raw_empty_cells, shown_text, texts
from tests.operational.admin.outbox import outbox_envelopes
from tests.operational.stats.snapshots import club_today
from tests.operational.stats.usage.usage_marts import add_active_users, add_club, add_invitation, add_sign_in


def _ids(club) -> list:
    return [p.id for p in club.people.values()] + [club.team_id, club.other_team_id, club.org_id]


def test_a_club_admin_reads_the_clubs_usage_by_name(monkeypatch, stats_url, gateway_url, warehouse, club):
    today = club_today()
    add_club(warehouse, club.org_id, "Northside HC")
    add_active_users(warehouse, club.org_id, today - timedelta(days=1), "club", "all", 2, 3, 4)
    add_active_users(warehouse, club.org_id, today, "club", "all", 3, 4, 6)
    add_active_users(warehouse, club.org_id, today, "role", "coach", 1, 1, 1)
    add_active_users(warehouse, club.org_id, today, "team", str(club.team_id), 2, 2, 3)
    warehouse.add_team(club.org_id, club.team_id, "U16")
    add_invitation(warehouse, club.org_id, "accepted", today)
    add_sign_in(warehouse, club.org_id, club["coach"].id, "Johan Ek", "coach", datetime.now(UTC), 4)
    add_sign_in(warehouse, club.org_id, club["player"].id, "Elias Nilsson", "player", None, 0)
    warehouse.publish()

    app = open_dashboard(monkeypatch, stats_url, club["admin"].token, gateway_url=gateway_url, page="club_usage")

    assert not app.exception and not app.error, texts(app.error)
    assert texts(app.title) == ["Club usage"] and "Northside HC" in texts(app.subheader)
    metrics = {m.label: m.value for m in app.get("metric")}
    assert (metrics["Daily active"], metrics["Monthly active"], metrics["Stickiness (daily ÷ monthly)"]) == (
        "3", "6", "50%"
    )  # fmt: skip
    text = shown_text(app)
    assert "U16" in text and "Coach" in text and "Elias Nilsson" in text and "never" in text
    assert ids_shown(app, _ids(club)) == []
    assert raw_empty_cells(app) == []


def test_a_club_without_usage_yet_is_told_what_to_expect(monkeypatch, stats_url, gateway_url, warehouse, club):
    warehouse.publish()

    app = open_dashboard(monkeypatch, stats_url, club["admin"].token, gateway_url=gateway_url, page="club_usage")

    assert not app.exception and not app.error, texts(app.error)
    assert any("Figures appear once members sign in" in note for note in texts(app.info))
    assert ids_shown(app, _ids(club)) == []


def test_the_system_status_shows_each_figure_with_its_time(monkeypatch, stats_url, gateway_url, warehouse, club):
    warehouse.publish()

    app = open_dashboard(monkeypatch, stats_url, club["admin"].token, gateway_url=gateway_url, page="system_status")

    assert not app.exception and not app.error, texts(app.error)
    assert texts(app.title) == ["System status"]
    assert texts(app.subheader)[:3] == ["Components", "Statistics freshness", "Events waiting to be published"]
    text = shown_text(app)
    assert "Postgres" in text and "Measured" in text and "users" in text
    assert raw_empty_cells(app) == []


def test_opening_a_page_is_counted_once_as_the_viewers_use(
    monkeypatch, stats_url, gateway_url, warehouse, settings, club
):
    warehouse.publish()

    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="compliance")
    app.run()  # a rerun of the same page (a widget changed) is not another view

    pages = [e["data"]["page"] for e in outbox_envelopes(settings, "admin", "admin.page.viewed", club["coach"].id)]
    assert pages == ["team-load", "logged-today"]
