"""Club usage from the statistics API, as the Club usage page shows it: names, never ids, in words people read."""

from __future__ import annotations

from typing import Any

import pandas as pd

FEATURE_NAMES = {
    "sign_in": "Signing in",
    "rpe_log": "Logging session RPE",
    "wellness": "Wellness questionnaire",
    "rsvp": "Answering invites",
    "dashboard": "Dashboards",
    "calendar_feeds": "Calendar feed in a calendar app",
    "messages": "Messages",
}


def daily_frame(payload: dict[str, Any]) -> pd.DataFrame:
    """Day, DAU, WAU, MAU, stickiness: one row per day of the whole club."""
    rows = [
        {
            "Day": pd.to_datetime(day["usage_date"]),
            "Daily active": day["daily_active_users"],
            "Weekly active (7 days)": day["weekly_active_users"],
            "Monthly active (28 days)": day["monthly_active_users"],
            "Stickiness": day["stickiness"],
        }
        for day in payload.get("club", [])
    ]
    return pd.DataFrame(rows, columns=["Day", "Daily active", "Weekly active (7 days)", "Monthly active (28 days)",
                                       "Stickiness"])  # fmt: skip


def segment_frame(items: list[dict[str, Any]], label: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                label: (item.get("name") or "Team not yet named").capitalize() if label == "Role" else
                       (item.get("name") or "Team not yet named"),
                "Daily active": item["daily_active_users"],
                "Weekly active": item["weekly_active_users"],
                "Monthly active": item["monthly_active_users"],
                "Stickiness": item["stickiness"],
            }
            for item in items
        ],
        columns=[label, "Daily active", "Weekly active", "Monthly active", "Stickiness"],
    )  # fmt: skip


def lifecycle_frame(weeks: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Week of": f"{pd.to_datetime(week['week_start']):%d %b %Y}",
                "New": week["new_users"],
                "Returning": week["returning_users"],
                "Back after a break": week["resurrecting_users"],
                "Gone quiet": week["dormant_users"],
                "Active": week["active_users"],
            }
            for week in weeks
        ],
        columns=["Week of", "New", "Returning", "Back after a break", "Gone quiet", "Active"],
    )


def adoption_frame(items: list[dict[str, Any]]) -> pd.DataFrame:
    """Feature by feature: users, eligible active users and the share, over 7 and 28 days side by side."""
    by_feature: dict[str, dict[str, Any]] = {}
    for item in items:
        row = by_feature.setdefault(item["feature"], {"Feature": FEATURE_NAMES.get(item["feature"], item["feature"])})
        days = item["window_days"]
        row[f"Used, {days} days"] = f"{item['feature_users']} of {item['eligible_active_users']}"
        row[f"Adoption, {days} days"] = item["adoption_rate"]
    order = list(FEATURE_NAMES)
    rows = sorted(by_feature.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    return pd.DataFrame([row for _, row in rows])


def members_frame(members: list[dict[str, Any]], when) -> pd.DataFrame:
    """``when`` turns a sign-in time into the club's local time as text."""
    return pd.DataFrame(
        [
            {
                "Member": member.get("member_name") or "Name not yet known",
                "Role": member["role"].capitalize(),
                "Last sign-in": when(member["last_signed_in_at"]) if member.get("last_signed_in_at") else "never",
                "Sign-ins, 28 days": member["sign_ins_last_28_days"],
            }
            for member in members
        ],
        columns=["Member", "Role", "Last sign-in", "Sign-ins, 28 days"],
    )
