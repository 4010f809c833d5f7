"""Invoices: what a family is asked to pay. A guardian sees the invoices they pay and their children's; a player their
own. Names, never ids; amounts in the viewer's language (babel, as the payments API gives them); drafts the treasurer
has not issued yet are not shown. Comes from the payments API (the invoices are operational data, not statistics)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st
from babel.numbers import format_currency, get_currency_precision

from dashboards.client import ApiError
from dashboards.connect import club_client
from dashboards.display import end_page, show_error, show_table, signed_in_viewer

STATUS_WORDS = {"open": "To pay", "paid": "Paid", "void": "Cancelled", "uncollectible": "To pay (written off)"}

st.title("Invoices")
st.caption("The club's invoices you pay, or that are for you or your children, with their instalments.")

viewer = signed_in_viewer("Log in to see your invoices.")


def money(amount_minor: int, currency: str, locale: str) -> str:
    amount = Decimal(amount_minor).scaleb(-get_currency_precision(currency))
    try:
        return format_currency(amount, currency, locale=locale)
    except (ValueError, LookupError):
        return format_currency(amount, currency, locale="en")


try:
    with st.spinner("Loading your invoices…"):
        invoices = [item for item in club_client().invoices() if item["status"] != "draft"]
except ApiError as error:
    show_error(error, what="Invoices")
    end_page()

if not invoices:
    st.info("No invoices for you or your family yet: the club's treasurer sends them when a season's fees are due.")
    end_page()

locale = viewer.lang
due = [i for i in invoices if i["status"] in ("open", "uncollectible") and i["due_minor"] > 0]
for currency in sorted({i["currency"] for i in due}):
    st.metric(f"Still to pay ({currency})", money(sum(i["due_minor"] for i in due if i["currency"] == currency),
                                                 currency, locale))  # fmt: skip

table = pd.DataFrame(
    [
        {
            "Invoice": invoice["number"],
            "For": invoice["player_name"] or "—",
            "Team": invoice["team_name"] or "—",
            "Paid by": invoice["payer_name"] or "—",
            "Status": STATUS_WORDS.get(invoice["status"], invoice["status"]),
            "Amount": invoice["total_display"],
            "Still due": invoice["due_display"],
            "Due on": invoice["due_on"],
        }
        for invoice in invoices
    ]
)
show_table(table)

for invoice in invoices:
    if not invoice["instalments"]:
        continue
    st.subheader(f"Instalments of invoice {invoice['number']} ({invoice['player_name'] or '—'})")
    parts = pd.DataFrame(
        [
            {
                "Part": part["sequence"],
                "Due on": part["due_on"],
                "Amount": money(part["amount_minor"], invoice["currency"], locale),
                "Paid": "Yes" if part["paid"] else "Not yet",
                "Paid with": "Card" if part.get("payment_method") == "card" else "Bank transfer",
            }
            for part in invoice["instalments"]
        ]
    )
    show_table(parts)
