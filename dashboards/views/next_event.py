"""Next event: the team's next practice, game or session, who answered (going, not going, maybe) and who has not."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

from dashboards.client import ApiError
from dashboards.connect import club_client, stats_client
from dashboards.directory import Directory
from dashboards.display import choose_team, club_now, club_time, end_page, show_error, show_table, signed_in_viewer

LOOK_AHEAD_DAYS = 60
ANSWERS = {"going": "Going", "not_going": "Not going", "maybe": "Maybe"}
KINDS = {"practice": "Practice", "game": "Game", "training_session": "Training session", "meeting": "Meeting"}

st.title("Next event")

viewer = signed_in_viewer("Log in to see your teams' events.")

club = club_client()
directory = Directory(viewer, stats_client(), club)
try:
    with st.spinner("Loading the team's next event…"):
        team = choose_team(directory)
        if team is None:
            end_page()
        now = club_now(viewer)
        upcoming = [o for o in club.occurrences(team.id, now, now + timedelta(days=LOOK_AHEAD_DAYS))
                    if not o.get("cancelled") and datetime.fromisoformat(o["ends_at"]) > now]  # fmt: skip
        upcoming.sort(key=lambda o: o["starts_at"])
        if not upcoming:
            st.info(f"{team.name} has no event in the next {LOOK_AHEAD_DAYS} days.")
            end_page()
        event = upcoming[0]
        answers = {str(a["player_id"]): a for a in club.rsvps(event["series_id"], event["occurrence_start"])}
        roster = directory.roster(team.id)
except ApiError as error:
    show_error(error, what="The team's calendar")
    end_page()

kind = KINDS.get(event.get("kind", ""), str(event.get("kind", "Event")).replace("_", " ").capitalize())
st.subheader(f"{kind}: {event['title']}")
where = f" · {event['location']}" if event.get("location") else ""
starts, ends = club_time(event["starts_at"], viewer), club_time(event["ends_at"], viewer, "%H:%M")
st.write(f"{starts}–{ends} ({viewer.time_zone}){where}")

roster_ids = {p.id for p in roster}
everyone = [p.id for p in roster] + [p for p in answers if p not in roster_ids]
labels = directory.player_labels(everyone, team.id)
counts = {label: sum(a["response"] == key for a in answers.values()) for key, label in ANSWERS.items()}
missing = sorted((labels[p.id] for p in roster if p.id not in answers), key=str.casefold)
columns = st.columns(4)
for column, (label, count) in zip(columns, [*counts.items(), ("Not answered", len(missing))], strict=True):
    column.metric(label, count)

if missing:
    st.warning("Not answered yet: " + ", ".join(missing) + ".")
elif roster:
    st.success("Every player has answered.")
if not roster:
    st.info(f"{team.name} has no players on its roster yet.")

rows = [
    {
        "Player": labels[player_id],
        "Answer": ANSWERS.get(answers[player_id]["response"], answers[player_id]["response"])
        if player_id in answers else "Not answered",
        "Reason": answers[player_id].get("reason") if player_id in answers else None,
        "Answered": club_time(answers[player_id]["answered_at"], viewer, "%d %b %H:%M")
        if player_id in answers else None,
    }
    for player_id in everyone
]  # fmt: skip
if rows:
    frame = pd.DataFrame(rows).sort_values("Player", key=lambda names: names.str.casefold(), ignore_index=True)
    show_table(frame)
if len(upcoming) > 1:
    later = upcoming[1]
    st.caption(f"After that: {later['title']}, {club_time(later['starts_at'], viewer)}.")
