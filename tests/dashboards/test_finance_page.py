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


def test_an_admin_reads_fees_by_age_group_revenue_by_month_and_reminders(
    monkeypatch, stats_url, gateway_url, warehouse, club
):
    org = club.org_id
    warehouse.add_team(org, club.team_id, "U16")
    warehouse.insert(FINANCE, org_team_currency_id=f"{org}|{club.team_id}|EUR", org_id=org, team_id=club.team_id,
                     currency="EUR", invoices_issued=1, invoiced_minor=8000, collected_minor=8000,
                     outstanding_minor=0, overdue_minor=0, invoices_overdue=0, collection_rate=1.0)  # fmt: skip
    warehouse.insert("marts.fct_finance_by_age_group", org_age_group_currency_id=f"{org}|U16|EUR", org_id=org,
                     age_group="U16", currency="EUR", invoices_issued=2, invoiced_minor=16000,
                     average_fee_minor=8000, collected_minor=10000, outstanding_minor=6000, overdue_minor=6000,
                     invoices_overdue=1, collection_rate=0.625)  # fmt: skip
    warehouse.insert("marts.fct_revenue_by_month", org_month_currency_id=f"{org}|2026-09-01|EUR", org_id=org,
                     revenue_month="2026-09-01", currency="EUR", payments_received=2, collected_minor=15000,
                     refunded_minor=2000, net_revenue_minor=13000)  # fmt: skip
    warehouse.insert("marts.fct_reminder_effect", org_level_currency_id=f"{org}|1|EUR", org_id=org, reminder_level=1,
                     currency="EUR", reminders_sent=4, reminded_minor=6000, paid_within_days=3, within_days=14,
                     share_paid_within_days=0.75)  # fmt: skip
    warehouse.publish()

    app = open_dashboard(monkeypatch, stats_url, club["admin"].token, gateway_url=gateway_url, page="finance")

    assert not app.exception
    text = shown_text(app)
    for expected in ("By age group", "€80.00", "2026-09", "€130.00", "Level 1", "Paid within 14 days", "75%"):
        assert expected in text, expected
