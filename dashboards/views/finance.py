"""Finance: the club's fees per team and per age group for its admins: invoiced, collected, outstanding and overdue,
the collection rate and the days it takes families to pay; money in and out per month; and what each reminder level
achieves."""

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

if payload.get("age_groups"):
    st.subheader("By age group")
    by_age = pd.DataFrame(
        [
            {
                "Age group": group["age_group"] if group["age_group"] != "-" else "No age group",
                "Invoices": group["invoices_issued"],
                "Average fee": money(group["average_fee_minor"], group["currency"]),
                "Invoiced": money(group["invoiced_minor"], group["currency"]),
                "Outstanding": money(group["outstanding_minor"], group["currency"]),
                "Overdue": money(group["overdue_minor"], group["currency"]),
                "Collection rate": group["collection_rate"],
            }
            for group in payload["age_groups"]
        ]
    )
    show_table(by_age, {"Collection rate": "{:.0%}"})

if payload.get("months"):
    st.subheader("Revenue by month")
    by_month = pd.DataFrame(
        [
            {
                "Month": month["revenue_month"][:7],
                "Payments": month["payments_received"],
                "Received": money(month["collected_minor"], month["currency"]),
                "Refunded": money(month["refunded_minor"], month["currency"]),
                "Net": money(month["net_revenue_minor"], month["currency"]),
            }
            for month in payload["months"]
        ]
    )
    show_table(by_month, {})
    st.caption("Money that arrived by bank, card or in hand, less refunds paid back out (credit kept for a family "
               "stays in the club).")  # fmt: skip

if payload.get("reminders"):
    st.subheader("Reminders")
    effect = pd.DataFrame(
        [
            {
                "Reminder": f"Level {row['reminder_level']}",
                "Sent": row["reminders_sent"],
                "Reminded of": money(row["reminded_minor"], row["currency"]),
                f"Paid within {row['within_days']} days": row["share_paid_within_days"],
            }
            for row in payload["reminders"]
        ]
    )
    show_table(effect, {column: "{:.0%}" for column in effect.columns if column.startswith("Paid within")})
as_of_caption(payload.get("as_of"), viewer)
