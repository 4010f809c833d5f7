"""The club's fees per team for its admins, from fct_finance_by_team, with names and club totals."""

from __future__ import annotations

FINANCE = "marts.fct_finance_by_team"


def _team_row(club, team_id, **figures):
    row = {"org_team_currency_id": f"{club.org_id}|{team_id}|EUR", "org_id": club.org_id, "team_id": team_id,
           "currency": "EUR", "invoices_overdue": 0, "outstanding_minor": 0, "overdue_minor": 0}  # fmt: skip
    return row | figures


def test_admins_see_each_teams_fees_by_name_and_the_clubs_totals(stats, warehouse, stats_club):
    club = stats_club
    u16 = _team_row(club, club.team_id, invoices_issued=2, invoiced_minor=20000, collected_minor=12500,
                    outstanding_minor=7500, overdue_minor=7500, invoices_overdue=1, collection_rate=0.625,
                    average_days_to_pay=12.0)  # fmt: skip
    u18 = _team_row(club, club.other_team_id, invoices_issued=2, invoiced_minor=10000, collected_minor=10000,
                    collection_rate=1.0, average_days_to_pay=6.0)  # fmt: skip
    warehouse.insert(FINANCE, **u16)
    warehouse.insert(FINANCE, **u18)
    warehouse.publish()

    response = stats.get("/api/v1/stats/finance", headers=club["admin"].headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert [(t["team_name"], t["collection_rate"], t["overdue_minor"]) for t in body["teams"]] == [
        ("U16", 0.625, 7500), ("U18", 1.0, 0)
    ]  # fmt: skip
    (totals,) = body["totals"]
    # 22500 of 30000 collected; days to pay weighed by invoices: (2 × 12 + 2 × 6) / 4 = 9
    assert (totals["collected_minor"], totals["collection_rate"], totals["average_days_to_pay"]) == (22500, 0.75, 9.0)
    for who in ("coach", "player", "parent", "medic"):
        assert stats.get("/api/v1/stats/finance", headers=club[who].headers).status_code == 403


def test_admins_see_fees_by_age_group_revenue_by_month_and_what_reminders_achieve(stats, warehouse, stats_club):
    club = stats_club
    org = club.org_id
    warehouse.insert("marts.fct_finance_by_age_group", org_age_group_currency_id=f"{org}|U16|EUR", org_id=org,
                     age_group="U16", currency="EUR", invoices_issued=2, invoiced_minor=16000,
                     average_fee_minor=8000, collected_minor=10000, outstanding_minor=6000, overdue_minor=6000,
                     invoices_overdue=1, collection_rate=0.625, average_days_to_pay=10.0)  # fmt: skip
    for month, collected, refunded in (("2026-10-01", 0, 2000), ("2026-09-01", 15000, 0)):
        warehouse.insert("marts.fct_revenue_by_month", org_month_currency_id=f"{org}|{month}|EUR", org_id=org,
                         revenue_month=month, currency="EUR", payments_received=2 if collected else 0,
                         collected_minor=collected, refunded_minor=refunded,
                         net_revenue_minor=collected - refunded)  # fmt: skip
    warehouse.insert("marts.fct_reminder_effect", org_level_currency_id=f"{org}|1|EUR", org_id=org, reminder_level=1,
                     currency="EUR", reminders_sent=3, reminded_minor=6000, paid_within_days=1, within_days=14,
                     share_paid_within_days=1 / 3)  # fmt: skip
    warehouse.insert("marts.fct_reminder_effect", org_level_currency_id="other|1|EUR", org_id="other",
                     reminder_level=1, currency="EUR", reminders_sent=9, reminded_minor=1, paid_within_days=0,
                     within_days=14, share_paid_within_days=0.0)  # fmt: skip
    warehouse.publish()

    body = stats.get("/api/v1/stats/finance", headers=club["admin"].headers).json()

    assert [(a["age_group"], a["average_fee_minor"], a["collection_rate"]) for a in body["age_groups"]] == [
        ("U16", 8000, 0.625)]  # fmt: skip
    assert [(m["revenue_month"], m["net_revenue_minor"]) for m in body["months"]] == [
        ("2026-09-01", 15000), ("2026-10-01", -2000)]  # fmt: skip
    assert [(r["reminder_level"], r["reminders_sent"], r["share_paid_within_days"]) for r in body["reminders"]] == [
        (1, 3, 0.333)]  # fmt: skip
