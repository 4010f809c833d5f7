"""Finance: the club's fees per team for its admins: invoiced, collected, outstanding and overdue, the collection
rate and the days it takes families to pay."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st
from babel.numbers import format_currency, get_currency_precision

from dashboards.client import ApiError
from dashboards.connect import stats_client
from dashboards.display import as_of_caption, end_page, show_error, show_table, signed_in_viewer

st.title("Finance")
st.caption("The club's fees per team: what was invoiced (less credit notes and refunds), collected, still to pay "
           "and overdue.")  # fmt: skip

viewer = signed_in_viewer("Log in to see the club's finances.")


def money(amount_minor: int | None, currency: str) -> str:
    if amount_minor is None:
        return "—"
    return format_currency(Decimal(amount_minor).scaleb(-get_currency_precision(currency)), currency, locale="en")


try:
    with st.spinner("Loading the club's finances…"):
        payload = stats_client().club_finance()
except ApiError as error:
    show_error(error, what="Finance")
    end_page()

if not payload["teams"]:
    st.info("No invoices yet: they appear here once the treasurer issues a season's invoices under Payments.")
    end_page()

for totals in payload["totals"]:
    currency = totals["currency"]
    columns = st.columns(4)
    columns[0].metric(f"Collected ({currency})", money(totals["collected_minor"], currency))
    columns[1].metric("Outstanding", money(totals["outstanding_minor"], currency))
    columns[2].metric("Overdue", money(totals["overdue_minor"], currency))
    rate = totals["collection_rate"]
    columns[3].metric("Collection rate", "—" if rate is None else f"{rate:.0%}")

table = pd.DataFrame(
    [
        {
            "Team": team["team_name"] or "Team not known yet",
            "Invoices": team["invoices_issued"],
            "Invoiced": money(team["invoiced_minor"], team["currency"]),
            "Collected": money(team["collected_minor"], team["currency"]),
            "Outstanding": money(team["outstanding_minor"], team["currency"]),
            "Overdue": money(team["overdue_minor"], team["currency"]),
            "Collection rate": team["collection_rate"],
            "Days to pay": team["average_days_to_pay"],
        }
        for team in payload["teams"]
    ]
)
show_table(table, {"Collection rate": "{:.0%}", "Days to pay": "{:.1f}"})
st.caption("Days to pay: the average from issue to settlement of the paid invoices.")
as_of_caption(payload.get("as_of"), viewer)
