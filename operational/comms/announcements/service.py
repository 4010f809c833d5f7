"""Announcements to a team, acknowledged by each player (or a minor's guardian) by a deadline; a report per
announcement of who has not acknowledged; daily reminders until acknowledged or the deadline passes.

Notifications (category ``announcement``) go to the team's players, parents and the players' guardians, in-app and
by e-mail as each person's preferences say; a reminder goes to the player who has not acknowledged and their
guardians, once a day (its notification id is derived from the announcement and the day).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from operational.comms import events
from operational.comms import repository as comms_repository
from operational.comms.announcements import repository
from operational.comms.announcements.schemas import (
    Acknowledge,
    AcknowledgementReport,
    AcknowledgementRow,
    AnnouncementCreate,
    AnnouncementRead,
)
from operational.comms.channels import notification_rows
from operational.comms.config import CommsSettings, settings_from_environment
from operational.comms.models import Announcement, outbox
from operational.comms.service import schedule_audience
from operational.kit.auth import Principal
from operational.kit.db import session_factory
from operational.kit.errors import Forbidden, InvalidValue, NotFound
from operational.kit.ids import uuid7

ADMINS = ("club_admin", "platform_admin")
REMINDER_NAMESPACE = uuid.UUID("5b3f6f0e-4a4e-4a55-9d0b-6b8a2b0c7a11")
REMIND_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Origin:
    """What raised a notification that no event raised: its id (the idempotency key), club and time."""

    org_id: uuid.UUID
    event_id: uuid.UUID
    occurred_at: datetime


async def create(
    session: AsyncSession, settings: CommsSettings, principal: Principal, body: AnnouncementCreate
) -> Announcement:
    org_id, now = principal.org_id, datetime.now(UTC)
    team_name = await comms_repository.team_name(session, org_id, body.team_id)
    if team_name is None:
        raise NotFound("No such team.", field="team_id")
    if not principal.has_any_role(*ADMINS) and body.team_id not in await repository.staff_teams(
        session, org_id, principal.user_id
    ):
        raise Forbidden("Only the team's coaches and club admins post announcements to it.", field="team_id")
    if body.deadline is not None and not body.requires_acknowledgement:
        raise InvalidValue("A deadline is for announcements that must be acknowledged.", field="deadline")
    if body.deadline is not None and body.deadline <= now:
        raise InvalidValue("The deadline must be in the future.", field="deadline")
    announcement = Announcement(
        id=uuid7(),
        org_id=org_id,
        team_id=body.team_id,
        author_id=principal.user_id,
        title=body.title,
        body=body.body,
        deadline=body.deadline,
        created_at=now,
        requires_acknowledgement=body.requires_acknowledgement,
    )
    session.add(announcement)
    await session.flush()
    await outbox.record(session, events.announcement_published(announcement, principal))
    audience = await schedule_audience(session, org_id, body.team_id, [], actor_id=principal.user_id)
    await _notify(
        session, settings, Origin(org_id, announcement.id, now), announcement, audience, team_name, "announcement"
    )
    return announcement


async def _notify(session, settings, origin: Origin, announcement, people, team_name: str, kind: str) -> int:
    facts = {
        "announcement_id": str(announcement.id),
        "title": announcement.title,
        "team_name": team_name,
        "deadline": announcement.deadline.isoformat() if announcement.deadline else None,
        "time_zone": settings.club_time_zone,
    }
    rows = await notification_rows(
        session, settings, origin, set(people), category="announcement", kind=kind, facts=facts
    )
    return await comms_repository.add_notifications(session, rows)


async def read(session: AsyncSession, principal: Principal, announcement: Announcement) -> AnnouncementRead:
    acks = await repository.acknowledgements(session, announcement.id)
    mine = [player for player, ack in acks.items() if ack.acknowledged_by == principal.user_id]
    names = await comms_repository.names_of(session, principal.org_id, {announcement.author_id, *mine})
    return AnnouncementRead(
        id=announcement.id,
        team_id=announcement.team_id,
        team=await comms_repository.team_name(session, principal.org_id, announcement.team_id) or "",
        author=names.get(announcement.author_id, "Former member"),
        title=announcement.title,
        body=announcement.body,
        requires_acknowledgement=announcement.requires_acknowledgement,
        deadline=announcement.deadline,
        created_at=announcement.created_at,
        acknowledged_for=sorted(names.get(p, "") for p in mine),
    )


async def visible_team_ids(session: AsyncSession, principal: Principal) -> set[uuid.UUID]:
    teams = set(principal.team_ids)
    for child in principal.guardian_of:
        teams |= await comms_repository.teams_of(session, principal.org_id, child)
    return teams


async def acknowledge(
    session: AsyncSession, principal: Principal, announcement: Announcement, body: Acknowledge
) -> AnnouncementRead:
    """The caller acknowledges for themself, or for their child (``body.player_id``)."""
    player_id = body.player_id or principal.user_id
    if not announcement.requires_acknowledgement:
        raise InvalidValue("This announcement asks for no acknowledgement.")
    if body.player_id is not None and not await comms_repository.names_of(session, principal.org_id, [player_id]):
        raise NotFound("No such player.", field="player_id")
    if not principal.acts_for(player_id):
        raise Forbidden("You acknowledge for yourself or for your child.", field="player_id")
    if player_id not in announcement.team_players:
        raise Forbidden("That announcement is not for that player's team.", field="player_id")
    acknowledged_at = datetime.now(UTC)
    first = await repository.acknowledge(
        session,
        {
            "announcement_id": announcement.id,
            "player_id": player_id,
            "org_id": principal.org_id,
            "acknowledged_by": principal.user_id,
            "acknowledged_at": acknowledged_at,
        },
    )
    if first:
        await outbox.record(
            session, events.announcement_acknowledged(announcement, player_id, principal, acknowledged_at)
        )
    return await read(session, principal, announcement)


async def report(session: AsyncSession, principal: Principal, announcement: Announcement) -> AcknowledgementReport:
    """Every player of the team today: acknowledged or not, by whom, in time or not."""
    acks = await repository.acknowledgements(session, announcement.id)
    people = set(announcement.team_players) | {ack.acknowledged_by for ack in acks.values()}
    names = await comms_repository.names_of(session, principal.org_id, people)
    rows = []
    for player in sorted(announcement.team_players, key=lambda p: names.get(p, "")):
        ack = acks.get(player)
        on_time = None if ack is None or announcement.deadline is None else ack.acknowledged_at <= announcement.deadline
        rows.append(
            AcknowledgementRow(
                player_id=player,
                player=names.get(player, "Former member"),
                acknowledged=ack is not None,
                acknowledged_by=names.get(ack.acknowledged_by) if ack else None,
                acknowledged_at=ack.acknowledged_at if ack else None,
                on_time=on_time,
            )
        )
    return AcknowledgementReport(
        announcement_id=announcement.id,
        team=await comms_repository.team_name(session, principal.org_id, announcement.team_id) or "",
        deadline=announcement.deadline,
        acknowledged=sum(r.acknowledged for r in rows),
        players=len(rows),
        not_acknowledged=[r.player for r in rows if not r.acknowledged],
        rows=rows,
    )


async def send_reminders(
    engine: AsyncEngine, settings: CommsSettings | None = None, now: datetime | None = None
) -> int:
    """Remind each player who has not acknowledged (and their guardians), once a day from a day after posting until
    the deadline; returns how many notifications were new."""
    settings = settings or settings_from_environment()
    now = now or datetime.now(UTC)
    sent = 0
    async with session_factory(engine)() as session, session.begin():
        for announcement in await repository.open_for_reminders(session, now):
            if now - announcement.created_at < REMIND_AFTER:
                continue
            org_id = announcement.org_id
            acks = await repository.acknowledgements(session, announcement.id)
            waiting = await repository.players_of(session, org_id, announcement.team_id) - set(acks)
            if not waiting:
                continue
            people = waiting | await comms_repository.guardians_of(session, org_id, waiting)
            day_key = uuid.uuid5(REMINDER_NAMESPACE, f"{announcement.id}:{now.date().isoformat()}")
            team_name = await comms_repository.team_name(session, org_id, announcement.team_id) or ""
            sent += await _notify(
                session,
                settings,
                Origin(org_id, day_key, now),
                announcement,
                people,
                team_name,
                "announcement_reminder",
            )
    return sent
