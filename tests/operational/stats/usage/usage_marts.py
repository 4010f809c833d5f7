"""Rows of the usage marts, written by hand into the test warehouse (the tables are the ones dbt builds)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from tests.operational.stats.snapshots import Warehouse


def add_club(warehouse: Warehouse, org_id: uuid.UUID, name: str) -> None:
    warehouse.insert("marts.dim_clubs", org_id=org_id, club_name=name, time_zone="UTC", language="en", plan="standard")


def add_active_users(
    warehouse: Warehouse, org_id, day: date, segment: str, key: str, dau: int, wau: int, mau: int
) -> None:
    warehouse.insert(
        "marts.fct_usage_active_users_daily",
        usage_day_id=f"{org_id}|{segment}|{key}|{day}",
        org_id=org_id,
        segment=segment,
        segment_key=key,
        usage_date=day,
        daily_active_users=dau,
        weekly_active_users=wau,
        monthly_active_users=mau,
        stickiness=round(dau / mau, 3) if mau else None,
    )


def add_invitation(warehouse: Warehouse, org_id, status: str, today: date) -> None:
    warehouse.insert(
        "marts.fct_usage_invitations",
        invitation_id=uuid.uuid4(),
        org_id=org_id,
        user_id=uuid.uuid4(),
        sent_at=datetime.now(UTC) - timedelta(days=3),
        expires_on=today + timedelta(days=4),
        invitation_status=status,
    )


def add_sign_in(warehouse: Warehouse, org_id, user_id, name: str, role: str, at: datetime | None, count: int) -> None:
    warehouse.insert(
        "marts.dim_member_sign_ins",
        user_id=user_id,
        org_id=org_id,
        member_name=name,
        primary_role=role,
        last_signed_in_at=at,
        sign_ins_last_28_days=count,
    )
