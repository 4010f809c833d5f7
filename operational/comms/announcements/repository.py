"""All SQL of announcements and their acknowledgements."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms.models import Acknowledgement, Announcement, RosterEntry


async def get(session: AsyncSession, org_id, announcement_id) -> Announcement | None:
    return await session.scalar(
        select(Announcement).where(Announcement.org_id == org_id, Announcement.id == announcement_id)
    )


def of_teams(org_id, team_ids) -> select:
    return select(Announcement).where(Announcement.org_id == org_id, Announcement.team_id.in_(list(team_ids)))


async def acknowledge(session: AsyncSession, values: dict) -> bool:
    """The first acknowledgement of a player stands (a second one changes nothing). True when this one was the
    first."""
    result = await session.execute(
        pg_insert(Acknowledgement).values(**values).on_conflict_do_nothing().returning(Acknowledgement.player_id)
    )
    return result.first() is not None


async def acknowledgements(session: AsyncSession, announcement_id) -> dict[uuid.UUID, Acknowledgement]:
    rows = await session.scalars(select(Acknowledgement).where(Acknowledgement.announcement_id == announcement_id))
    return {row.player_id: row for row in rows}


async def players_of(session: AsyncSession, org_id, team_id) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(RosterEntry.user_id).where(
            RosterEntry.org_id == org_id, RosterEntry.team_id == team_id, RosterEntry.role == "player"
        )
    )
    return set(rows)


async def staff_teams(session: AsyncSession, org_id, user_id) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(RosterEntry.team_id).where(
            RosterEntry.org_id == org_id,
            RosterEntry.user_id == user_id,
            RosterEntry.role.in_(["coach", "physical_trainer"]),
        )
    )
    return set(rows)


async def open_for_reminders(session: AsyncSession, now: datetime) -> list[Announcement]:
    """Announcements that need acknowledging and whose deadline has not passed."""
    rows = await session.scalars(
        select(Announcement).where(
            Announcement.requires_acknowledgement.is_(True),
            (Announcement.deadline.is_(None)) | (Announcement.deadline > now),
        )
    )
    return list(rows)
