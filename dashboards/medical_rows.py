"""What the medical staff pages show, from the medical service's API (clinical detail, for medical staff only) with
names from the statistics API's rosters: open problems, where each return to play stands, and who read a record."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from dashboards.client import ApiError, ClubClient, StatsClient
from dashboards.directory import Directory

ACTIONS = {"read": "Read", "create": "Recorded", "update": "Changed", "delete": "Deleted"}
ROLES = {"medical_staff": "Medical staff", "player": "The player", "guardian": "Guardian", "other": "Other"}


def player_names(directory: Directory, stats: StatsClient, today: date) -> dict[str, str]:
    """Every player of the teams the viewer may read availability of, id → name (medical staff: the whole club)."""
    names: dict[str, str] = {}
    for team in directory.teams(health=True):
        try:
            payload = stats.team_availability(team.id, today, today)
        except ApiError as error:
            if error.status_code == 401:
                raise
            continue
        for player in payload.get("players") or []:
            if player.get("player_name"):
                names[str(player["player_id"])] = player["player_name"]
    return names


def _day(value: Any) -> str | None:
    return None if value is None else f"{date.fromisoformat(str(value)):%d %b %Y}"


def open_problems_table(problems: list[dict[str, Any]], names: dict[str, str], today: date) -> pd.DataFrame:
    """Open problems, those out longest first."""
    rows = sorted(problems, key=lambda p: str(p["onset_date"]))
    return pd.DataFrame(
        [
            {
                "Player": names.get(str(p["player_id"]), "Player not on a roster"),
                "Problem": p["osiics_description"],
                "Body area": p["body_area"],
                "Kind": "Injury" if p["kind"] == "injury" else "Illness",
                "Onset": _day(p["onset_date"]),
                "Days since onset": (today - date.fromisoformat(str(p["onset_date"]))).days,
                "Time loss": "Yes" if p["time_loss"] else "No",
                "Expected back": _day(p.get("expected_return_date")),
            }
            for p in rows
        ],
        columns=["Player", "Problem", "Body area", "Kind", "Onset", "Days since onset", "Time loss", "Expected back"],
    )


def stage_board(club: ClubClient, problems: list[dict[str, Any]], names: dict[str, str]) -> dict[int, list[str]]:
    """Stage number → "Player (problem)" lines, for every open problem with a return-to-play protocol under way."""
    board: dict[int, list[str]] = {}
    for problem in problems:
        try:
            protocol = club.return_to_play(str(problem["id"]))
        except ApiError as error:
            if error.status_code in (401, 403):
                raise
            continue  # no protocol started for this problem
        if protocol.get("completed_at"):
            continue
        player = names.get(str(problem["player_id"]), "Player not on a roster")
        board.setdefault(protocol["stage"], []).append(
            f"{player} ({problem['osiics_description']}): {protocol['stage_name']}"
        )
    return board


def access_log_table(entries: list[dict[str, Any]], names: dict[str, str], staff: dict[str, str]) -> pd.DataFrame:
    """Newest first; who by name where the viewer knows them, else by their role."""
    rows = sorted(entries, key=lambda e: str(e["at"]), reverse=True)

    def who(entry: dict[str, Any]) -> str:
        actor = str(entry["actor_id"])
        return names.get(actor) or staff.get(actor) or ROLES.get(entry["actor_role"], "—")

    return pd.DataFrame(
        [
            {
                "When": pd.Timestamp(e["at"]).strftime("%Y-%m-%d %H:%M"),
                "Who": who(e),
                "Role": ROLES.get(e["actor_role"], e["actor_role"]),
                "Action": ACTIONS.get(e["action"], e["action"]),
                "Record": e["record_type"].replace("_", " "),
                "Purpose": e["purpose"],
            }
            for e in rows
        ],
        columns=["When", "Who", "Role", "Action", "Record", "Purpose"],
    )
