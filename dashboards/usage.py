"""Page views as usage events: opening a page (not every rerun of it) is told to the admin service once."""

from __future__ import annotations

import streamlit as st

from dashboards.connect import club_client

LAST_COUNTED_KEY = "usage_last_counted_page"


def count_page_view(page: str) -> None:
    """Count ``page`` when the viewer arrives on it; reruns of the same page (a widget changed) are not new views."""
    if st.session_state.get(LAST_COUNTED_KEY) == page:
        return
    st.session_state[LAST_COUNTED_KEY] = page
    club_client().record_page_view(page)
