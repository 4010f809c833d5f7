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
