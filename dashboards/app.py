"""Hockey Hub dashboards: ``streamlit run dashboards/app.py``.

Reads HUB_GATEWAY_URL (log in) and HUB_STATS_URL (statistics). Pages live in ``views/`` and are listed here with
``st.navigation``; a person who is not logged in sees only the login form. (A folder named ``pages`` would switch
Streamlit to its older folder-based navigation, which runs a page without this script, so without the login gate.)
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

# Streamlit puts only this folder on sys.path; the pages import the ``dashboards`` package of this checkout.
_CHECKOUT = str(Path(__file__).resolve().parents[1])
if _CHECKOUT not in sys.path:
    sys.path.append(_CHECKOUT)

import streamlit as st  # noqa: E402

from dashboards import session, usage  # noqa: E402
from dashboards.client import ApiError, log_in  # noqa: E402
from dashboards.config import DashboardSettings  # noqa: E402
from dashboards.display import PageEnded  # noqa: E402
from dashboards.navigation import sections_for  # noqa: E402

EMAIL_KEY = "viewer_email"
ROLE_NAMES = {
    "platform_admin": "platform admin",
    "club_admin": "club admin",
    "coach": "coach",
    "physical_trainer": "physical trainer",
    "medical_staff": "medical staff",
    "player": "player",
    "parent": "parent",
}


# the sign-in's second step, kept between reruns: {"code": True} once a code is asked for, {"clubs": [...]} once the
# e-mail turned out to have accounts in several clubs
LOGIN_STEP_KEY = "login_step"


def login_page() -> None:
    st.title("Hockey Hub")
    note = session.ended_note()
    if note:
        st.warning(note)
    st.write("Log in with your club account to see your teams' statistics.")
    step = st.session_state.setdefault(LOGIN_STEP_KEY, {})
    with st.form("login"):
        email = st.text_input("E-mail", key="login_email")
        password = st.text_input("Password", type="password", key="login_password")
        clubs = {c["club"]: c.get("name") or c["club"] for c in step.get("clubs", [])}
        club = st.selectbox("Club", list(clubs), format_func=clubs.get, key="login_club") if clubs else None
        code = (
            st.text_input("Code from your authenticator app", max_chars=7, key="login_code", placeholder="123 456")
            if step.get("code")
            else None
        )
        submitted = st.form_submit_button("Log in")
    if not submitted:
        return
    if not email.strip() or not password:
        st.error("Enter your e-mail and your password.")
        return
    if step.get("code") and not (code or "").strip():
        st.error("Enter the 6-digit code from your authenticator app.")
        return
    settings = DashboardSettings()
    try:
        with st.spinner("Logging in…"):
            tokens = log_in(
                settings.gateway_url,
                email.strip(),
                password,
                totp_code=(code or "").strip() or None,
                club=club,
                timeout=settings.request_timeout_seconds,
            )
    except ApiError as error:
        if error.code == "totp_required" and not step.get("code"):
            st.session_state[LOGIN_STEP_KEY] = step | {"code": True}
            st.rerun()
        if error.code == "club_required" and error.details:
            st.session_state[LOGIN_STEP_KEY] = step | {"clubs": error.details}
            st.rerun()
        st.error(error.message)
        return
    if tokens.scope != "access":
        st.error(session.SECOND_FACTOR_NEEDED)
        return
    st.session_state.pop(LOGIN_STEP_KEY, None)
    session.store_tokens(tokens)
    st.session_state[EMAIL_KEY] = email.strip()
    st.rerun()


def sidebar(viewer: session.Viewer) -> None:
    with st.sidebar:
        who = st.session_state.get(EMAIL_KEY, "Logged in")
        roles = ", ".join(ROLE_NAMES.get(r, r.replace("_", " ")) for r in viewer.roles) or "no role"
        st.caption(f"{who} · {roles}")
        st.button("Log out", on_click=session.log_out, icon=":material/logout:")


viewer = session.current_viewer()
if viewer is None:
    page = st.navigation([st.Page(login_page, title="Log in", icon=":material/login:")], position="hidden")
else:
    sidebar(viewer)
    sections = sections_for(viewer)
    first = next(iter(sections.values()))[0]
    page = st.navigation(
        {
            title: [
                st.Page(
                    f"views/{spec.script}",
                    title=spec.title,
                    icon=spec.icon,
                    url_path=spec.url_path,
                    default=spec is first,
                )  # fmt: skip
                for spec in specs
            ]
            for title, specs in sections.items()
        },
        # every page in view: an admin's sections hold more pages than the collapsed menu shows
        expanded=True,
    )
st.set_page_config(page_title=f"{page.title} · Hockey Hub", page_icon=":material/sports_hockey:", layout="wide")
if viewer is not None:
    usage.count_page_view(page.url_path or first.url_path)  # the default page's address is empty
with contextlib.suppress(PageEnded):  # the page said why it ended early (see display.end_page)
    page.run()
