"""The Finance page: a club admin reads the club's fees per team by name, in money, against the real stats API."""

from __future__ import annotations

from tests.dashboards.helpers import open_dashboard, shown_text

FINANCE = "marts.fct_finance_by_team"


def test_an_admin_reads_each_teams_fees_in_money_and_an_empty_club_is_told_what_to_do(
    monkeypatch, stats_url, gateway_url, warehouse, club
):
    warehouse.publish()
    empty = open_dashboard(monkeypatch, stats_url, club["admin"].token, gateway_url=gateway_url, page="finance")
    assert "No invoices yet" in shown_text(empty)

    warehouse.add_team(club.org_id, club.team_id, "U16")
    warehouse.insert(FINANCE, org_team_currency_id=f"{club.org_id}|{club.team_id}|EUR", org_id=club.org_id,
                     team_id=club.team_id, currency="EUR", invoices_issued=2, invoiced_minor=20000,
                     collected_minor=12500, outstanding_minor=7500, overdue_minor=7500, invoices_overdue=1,
                     collection_rate=0.625, average_days_to_pay=12.0)  # fmt: skip
    warehouse.publish()

    app = open_dashboard(monkeypatch, stats_url, club["admin"].token, gateway_url=gateway_url, page="finance")

    assert not app.exception
    text = shown_text(app)
    for expected in ("U16", "€125.00", "€75.00", "62%", "12.0"):
        assert expected in text, expected
    assert str(club.team_id) not in text
