"""A team's availability from the statistics API, as tables a coach reads: today's statuses, the week ahead and the
weekly shares. Status and coded restrictions only; no diagnosis ever reaches these pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

STATUS_WORDS = {"available": "Available", "limited": "Limited", "unavailable": "Unavailable"}
RESTRICTION_WORDS = {
    "no_contact": "no contact",
    "no_on_ice": "no on-ice",
    "no_high_intensity": "no high intensity",
    "no_strength_lower_body": "no lower-body strength",
    "no_strength_upper_body": "no upper-body strength",
}


def _day(value: Any) -> str | None:
    return None if value is None else f"{date.fromisoformat(str(value)):%a %d %b}"


def today_table(payload: dict[str, Any]) -> pd.DataFrame:
    """One row per player of the roster, those out first, then by name."""
    order = {"unavailable": 0, "limited": 1, "available": 2}
    players = sorted(payload.get("players") or [], key=lambda p: order.get(p["status"], 3))
    return pd.DataFrame(
        [
            {
                "Player": p.get("player_name") or "—",
                "Status": STATUS_WORDS.get(p["status"], p["status"]),
                "Restrictions": ", ".join(RESTRICTION_WORDS.get(r, r) for r in p["restrictions"]) or None,
                "Since": _day(p.get("since")) if p.get("status_recorded") else None,
                "Expected back": _day(p.get("expected_return")),
                "Note from medical staff": p.get("note_for_staff"),
            }
            for p in players
        ],
        columns=["Player", "Status", "Restrictions", "Since", "Expected back", "Note from medical staff"],
    )


def week_ahead_table(payload: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Day": _day(d["day"]),
                "Available": d["expected_available"],
                "Limited": d["expected_limited"],
                "Unavailable": d["expected_unavailable"],
                "Expected back": ", ".join(d["returning"]) or None,
            }
            for d in payload.get("week_ahead") or []
        ],
        columns=["Day", "Available", "Limited", "Unavailable", "Expected back"],
    )


def weeks_table(payload: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Week of": f"{date.fromisoformat(str(w['week_start'])):%d %b %Y}",
                "Player-days": w["player_days"],
                "Available": w["availability_pct"] / 100,
                "Available or limited": w["participation_pct"] / 100,
            }
            for w in payload.get("weeks") or []
        ],
        columns=["Week of", "Player-days", "Available", "Available or limited"],
    )
