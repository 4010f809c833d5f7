"""System status: is everything up, how fresh are the statistics, and is anything waiting or stuck — each figure
with the moment it was measured."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.client import ApiError
from dashboards.connect import club_client
from dashboards.display import club_time, end_page, show_error, show_table, signed_in_viewer

st.title("System status")
viewer = signed_in_viewer("Log in to see the system status.")
if st.button("Measure again", icon=":material/refresh:"):
    st.rerun()

try:
    with st.spinner("Measuring…"):
        status = club_client().system_status()
except ApiError as error:
    show_error(error, what="System status")
    end_page()


def when(moment: str | None) -> str:
    return club_time(moment, viewer, "%d %b %H:%M:%S") if moment else "—"


def age_in_words(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 2 * 3600:
        return f"{seconds // 60} minutes"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} hours"
    return f"{seconds // 86400} days"


st.subheader("Components")
show_table(
    pd.DataFrame(
        [
            {"Component": c["component"], "State": "up" if c["healthy"] else "DOWN", "Measured": when(c["measured_at"])}
            for c in status["components"]
        ]
    )
)

st.subheader("Statistics freshness")
snapshot = status["snapshot"]
if snapshot["published_at"] is None:
    st.warning("No statistics snapshot has been published yet: the pipeline has not finished a run.")
else:
    st.metric("Last snapshot published", age_in_words(snapshot["age_seconds"]) + " ago")
    st.caption(f"Published {when(snapshot['published_at'])}; measured {when(snapshot['measured_at'])}.")

st.subheader("Events waiting to be published")
outboxes = pd.DataFrame(
    [
        {
            "Service": o["service"],
            "Waiting": o["waiting"],
            "Oldest waiting since": when(o["oldest_waiting_since"]),
            "Failed to publish before": o["failed_attempts"],
            "Measured": when(o["measured_at"]),
        }
        for o in status["outboxes"]
    ]
)
show_table(outboxes)
if outboxes["Waiting"].sum() == 0:
    st.success("Every service's events have reached the stream.")

stream = status["stream"]
st.subheader("Events waiting on the stream")
if not stream["available"]:
    st.error("The event stream (NATS) did not answer; nothing is delivered until it is back.")
elif not stream["consumers"]:
    st.info("No consumer is reading the stream yet: the worker and the pipeline create theirs when they start.")
else:
    show_table(
        pd.DataFrame(
            [
                {
                    "Reader": c["consumer"],
                    "Not yet taken": c["pending"],
                    "Taken, not yet confirmed": c["waiting_for_ack"],
                    "Delivered again": c["redelivered"],
                    "Measured": when(c["measured_at"]),
                }
                for c in stream["consumers"]
            ]
        )
    )

st.subheader("Dead letters")
if stream["dead_letters"] == 0:
    st.success(f"No message has failed processing. (Measured {when(stream['measured_at'])}.)")
else:
    st.warning(f"{stream['dead_letters']} messages could not be processed and were set aside.")
    if stream["recent_dead_letters"]:
        show_table(
            pd.DataFrame(
                [
                    {
                        "When": when(d["dead_lettered_at"]),
                        "Event": d["subject"].removeprefix("hub."),
                        "Reader": d["consumer"] or "—",
                        "Reason": d["reason"],
                    }
                    for d in stream["recent_dead_letters"]
                ]
            )
        )
    else:
        st.caption("Platform admins see each one's reason.")
