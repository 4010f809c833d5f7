"""All SQL of the usage reports: the usage marts (fct_usage_*, dim_member_sign_ins) and club names (dim_clubs)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from operational.stats.repository import TEAMS, records
from warehouse.port import ServingCursor

CLUBS = "dim_clubs"
ACTIVE_USERS = "fct_usage_active_users_daily"
LIFECYCLE = "fct_usage_lifecycle_weekly"
ADOPTION = "fct_usage_feature_adoption"
INVITATIONS = "fct_usage_invitations"
MEMBER_SIGN_INS = "dim_member_sign_ins"


def club_name(cursor: ServingCursor, club_id: uuid.UUID) -> tuple[bool, str | None]:
    """Whether the snapshot knows the club (by name or by usage rows), and its name."""
    row = cursor.execute(f"SELECT club_name FROM {CLUBS} WHERE org_id = ?", [str(club_id)]).fetchone()
    if row is not None:
        return True, row[0]
    used = cursor.execute(f"SELECT 1 FROM {ACTIVE_USERS} WHERE org_id = ? LIMIT 1", [str(club_id)]).fetchone()
    return used is not None, None


def club_summaries(cursor: ServingCursor, club_ids: list[str] | None) -> list[dict[str, Any]]:
    """Each club's latest day of whole-club active users, by club name; ``club_ids`` None: every club."""
    only = "" if club_ids is None else "AND clubs.org_id = ANY(?::VARCHAR[])"
    cursor.execute(
        f"""
        WITH latest AS (
            SELECT org_id, daily_active_users, weekly_active_users, monthly_active_users, stickiness, usage_date,
                   row_number() OVER (PARTITION BY org_id ORDER BY usage_date DESC) AS recency_rank
            FROM {ACTIVE_USERS} WHERE segment = 'club'
        ),
        clubs AS (
            SELECT org_id, club_name FROM {CLUBS}
            UNION SELECT org_id, NULL FROM latest WHERE org_id NOT IN (SELECT org_id FROM {CLUBS})
        )
        SELECT clubs.org_id AS club_id, clubs.club_name, latest.usage_date,
               coalesce(latest.daily_active_users, 0) AS daily_active_users,
               coalesce(latest.weekly_active_users, 0) AS weekly_active_users,
               coalesce(latest.monthly_active_users, 0) AS monthly_active_users, latest.stickiness
        FROM clubs LEFT JOIN latest ON latest.org_id = clubs.org_id AND latest.recency_rank = 1
        WHERE TRUE {only}
        ORDER BY lower(clubs.club_name) NULLS LAST, clubs.org_id
        """,
        [] if club_ids is None else [club_ids],
    )
    return records(cursor)


def active_users(cursor: ServingCursor, club_id: uuid.UUID, date_from: date, date_to: date) -> list[dict[str, Any]]:
    """Whole-club, per-role and per-team rows of the days in [date_from, date_to], with team names."""
    cursor.execute(
        f"""
        SELECT usage.segment, usage.segment_key, teams.team_name, usage.usage_date, usage.daily_active_users,
               usage.weekly_active_users, usage.monthly_active_users, usage.stickiness
        FROM {ACTIVE_USERS} AS usage
        LEFT JOIN {TEAMS} AS teams ON usage.segment = 'team' AND teams.team_id = usage.segment_key
        WHERE usage.org_id = ? AND usage.usage_date BETWEEN ? AND ?
        ORDER BY usage.segment, lower(coalesce(teams.team_name, usage.segment_key)), usage.usage_date
        """,
        [str(club_id), date_from, date_to],
    )
    return records(cursor)


def lifecycle(cursor: ServingCursor, club_id: uuid.UUID, weeks: int) -> list[dict[str, Any]]:
    cursor.execute(
        f"""
        SELECT week_start, new_users, returning_users, resurrecting_users, dormant_users, active_users
        FROM {LIFECYCLE} WHERE org_id = ? ORDER BY week_start DESC LIMIT ?
        """,
        [str(club_id), weeks],
    )
    return list(reversed(records(cursor)))


def adoption(cursor: ServingCursor, club_id: uuid.UUID) -> list[dict[str, Any]]:
    cursor.execute(
        f"""
        SELECT feature, window_days, window_end, feature_users, eligible_active_users, adoption_rate
        FROM {ADOPTION} WHERE org_id = ? ORDER BY feature, window_days
        """,
        [str(club_id)],
    )
    return records(cursor)


def invitation_counts(cursor: ServingCursor, club_id: uuid.UUID) -> dict[str, int]:
    rows = cursor.execute(
        f"SELECT invitation_status, count(*) FROM {INVITATIONS} WHERE org_id = ? GROUP BY invitation_status",
        [str(club_id)],
    ).fetchall()
    return dict(rows)


def member_sign_ins(cursor: ServingCursor, club_id: uuid.UUID) -> list[dict[str, Any]]:
    cursor.execute(
        f"""
        SELECT user_id, member_name, primary_role, last_signed_in_at, sign_ins_last_28_days
        FROM {MEMBER_SIGN_INS} WHERE org_id = ?
        ORDER BY last_signed_in_at NULLS FIRST, lower(member_name) NULLS LAST, user_id
        """,
        [str(club_id)],
    )
    return records(cursor)
