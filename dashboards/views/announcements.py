"""Announcements: each announcement of the team that must be acknowledged, its deadline, how many players have
acknowledged it and who has not (by name), from the comms service's report."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from dashboards.client import ApiError
from dashboards.connect import club_client, stats_client
from dashboards.directory import Directory
from dashboards.display import (
    EMPTY,
    choose_team,
    club_now,
    club_time,
    end_page,
    show_error,
    show_table,
    signed_in_viewer,
)

st.title("Announcements")

viewer = signed_in_viewer("Log in to see who has acknowledged your teams' announcements.")

club = club_client()
directory = Directory(viewer, stats_client(), club)
try:
    with st.spinner("Loading the team's announcements…"):
        team = choose_team(directory)
        if team is None:
            end_page()
        announcements = [a for a in club.announcements()
                         if str(a["team_id"]) == str(team.id) and a["requires_acknowledgement"]]  # fmt: skip
        reports = {a["id"]: club.acknowledgement_report(a["id"]) for a in announcements}
except ApiError as error:
    show_error(error, what="The team's announcements")
    end_page()

if not announcements:
    st.info(
        f"{team.name} has no announcement that players must acknowledge. Post one that they must acknowledge, and "
        "this page shows who has not yet."
    )
    end_page()

now = club_now(viewer)
for announcement in announcements:
    report = reports[announcement["id"]]
    st.subheader(announcement["title"])
    deadline = announcement.get("deadline")
    due = f"Acknowledge by {club_time(deadline, viewer)}" if deadline else "No deadline"
    posted = club_time(announcement["created_at"], viewer, "%a %d %b %Y")
    st.caption(f"Posted {posted} by {announcement['author']} · {due}")
    st.metric("Acknowledged", f"{report['acknowledged']} of {report['players']}")
    missing = report["not_acknowledged"]
    past_deadline = deadline is not None and datetime.fromisoformat(deadline) < now
    if missing:
        note = "Not acknowledged " + ("by the deadline: " if past_deadline else "yet: ") + ", ".join(missing) + "."
        (st.error if past_deadline else st.warning)(note)
    elif report["players"]:
        st.success("Every player has acknowledged it.")
    else:
        st.info(f"{team.name} has no players on its roster yet.")
    rows = [
        {
            "Player": row["player"],
            "Acknowledged": club_time(row["acknowledged_at"], viewer, "%d %b %H:%M") if row["acknowledged"] else EMPTY,
            "By": row["acknowledged_by"] or EMPTY,
            "In time": {True: "Yes", False: "Late", None: EMPTY}[row["on_time"]] if row["acknowledged"] else EMPTY,
        }
        for row in report["rows"]
    ]
    if rows:
        show_table(pd.DataFrame(rows))
