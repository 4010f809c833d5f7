"""All SQL of the comms service: notifications and the read models kept from users events."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms import events
from operational.comms.models import (
    CalendarEntry,
    Contact,
    GuardianLink,
    Notification,
    Person,
    Preference,
    PushSubscription,
    RosterEntry,
    Team,
    outbox,
)
from operational.kit import roster

# --- notifications ----------------------------------------------------------------------------------------------


async def add_notifications(session: AsyncSession, rows: list[dict]) -> int:
    """Insert ``rows``; one already there for the same event, recipient and channel is left as it is. Returns how
    many were new. A new in-app notification is delivered as it is stored (``comms.notification.delivered``, sent);
    an e-mail is reported when the mail job has sent it or given up."""
    if not rows:
        return 0
    result = await session.execute(
        pg_insert(Notification)
        .values(rows)
        .on_conflict_do_nothing(constraint="uq_notifications_event_recipient_channel")
        .returning(
            Notification.id, Notification.org_id, Notification.recipient_id, Notification.channel, Notification.category
        )
    )
    new = result.all()
    for row in new:
        if row.channel == "in_app":
            await outbox.record(
                session,
                events.notification_delivered(
                    notification_id=row.id,
                    org_id=row.org_id,
                    recipient_id=row.recipient_id,
                    channel=row.channel,
                    category=row.category,
                    outcome="sent",
                ),
            )
    return len(new)


def notifications_of(org_id: uuid.UUID, recipient_id: uuid.UUID, *, unread_only: bool = False) -> Select:
    query = select(Notification).where(
        Notification.org_id == org_id, Notification.recipient_id == recipient_id, Notification.channel == "in_app"
    )
    return query.where(Notification.read_at.is_(None)) if unread_only else query


async def unread_count(session: AsyncSession, org_id: uuid.UUID, recipient_id: uuid.UUID) -> int:
    query = notifications_of(org_id, recipient_id, unread_only=True).with_only_columns(func.count())
    return await session.scalar(query) or 0


async def get_notification(session: AsyncSession, org_id: uuid.UUID, notification_id: uuid.UUID):
    return await session.scalar(
        select(Notification).where(
            Notification.org_id == org_id, Notification.id == notification_id, Notification.channel == "in_app"
        )
    )


async def mark_read(session: AsyncSession, notification: Notification, at: datetime) -> None:
    await session.execute(
        update(Notification)
        .where(Notification.id == notification.id, Notification.read_at.is_(None))
        .values(read_at=at)
        .execution_options(synchronize_session=False)
    )
    if notification.read_at is None:
        notification.read_at = at


async def due_mail(
    session: AsyncSession, now: datetime, limit: int
) -> list[tuple[Notification, Preference | None, Contact | None]]:
    """Pending e-mail whose time has come, with the recipient's preferences and account contact; locked so that two
    workers never send the same message (a row another worker holds is skipped)."""
    rows = await session.execute(
        select(Notification, Preference, Contact)
        .join(Preference, Preference.user_id == Notification.recipient_id, isouter=True)
        .join(Contact, Contact.user_id == Notification.recipient_id, isouter=True)
        .where(Notification.channel == "email", Notification.status == "pending")
        .where((Notification.not_before.is_(None)) | (Notification.not_before <= now))
        .order_by(Notification.created_at, Notification.id)
        .limit(limit)
        .with_for_update(of=Notification, skip_locked=True)
    )
    return [(row[0], row[1], row[2]) for row in rows]


# --- preferences --------------------------------------------------------------------------------------------------


async def preferences_of(session: AsyncSession, org_id, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Preference]:
    ids = list(user_ids)
    if not ids:
        return {}
    rows = await session.scalars(select(Preference).where(Preference.org_id == org_id, Preference.user_id.in_(ids)))
    return {row.user_id: row for row in rows}


async def contacts_of(session: AsyncSession, org_id, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Contact]:
    """The account addresses users told comms of (contracts/private.py), for those of ``user_ids`` who have one."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = await session.scalars(
        select(Contact).where(Contact.org_id == org_id, Contact.user_id.in_(ids), Contact.email.is_not(None))
    )
    return {row.user_id: row for row in rows}


async def save_contact(session: AsyncSession, org_id, user_id, email: str | None, language: str | None) -> None:
    """Keeps the account's address and language; none (an erased account) forgets them."""
    if email is None:
        await session.execute(delete(Contact).where(Contact.org_id == org_id, Contact.user_id == user_id))
        return
    values = {"user_id": user_id, "org_id": org_id, "email": email, "language": language}
    statement = pg_insert(Contact).values(**values)
    changes = {"email": email, "language": language}
    await session.execute(statement.on_conflict_do_update(index_elements=[Contact.user_id], set_=changes))


async def preference(session: AsyncSession, org_id, user_id) -> Preference | None:
    return await session.scalar(select(Preference).where(Preference.org_id == org_id, Preference.user_id == user_id))


async def save_preference(session: AsyncSession, values: dict) -> None:
    statement = pg_insert(Preference).values(**values)
    changes = {key: value for key, value in values.items() if key not in ("user_id", "org_id")}
    await session.execute(statement.on_conflict_do_update(index_elements=[Preference.user_id], set_=changes))


async def birth_years(session: AsyncSession, org_id, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    ids = list(user_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(Person.user_id, Person.birth_year).where(
            Person.org_id == org_id, Person.user_id.in_(ids), Person.birth_year.is_not(None)
        )
    )
    return {user_id: year for user_id, year in rows}


# --- read models --------------------------------------------------------------------------------------------------


async def upsert_team(session: AsyncSession, org_id, team_id, name: str) -> None:
    statement = pg_insert(Team).values(team_id=team_id, org_id=org_id, name=name)
    await session.execute(statement.on_conflict_do_update(index_elements=[Team.team_id], set_={"name": name}))


async def team_name(session: AsyncSession, org_id, team_id) -> str | None:
    return await session.scalar(select(Team.name).where(Team.org_id == org_id, Team.team_id == team_id))


async def upsert_person(
    session: AsyncSession, org_id, user_id, full_name: str, org_roles: list[str], birth_year: int | None = None
) -> None:
    values = {"user_id": user_id, "org_id": org_id, "full_name": full_name, "org_roles": org_roles}
    changes = {"full_name": full_name, "org_roles": org_roles}
    if birth_year is not None:
        values["birth_year"] = changes["birth_year"] = birth_year
    statement = pg_insert(Person).values(**values)
    await session.execute(statement.on_conflict_do_update(index_elements=[Person.user_id], set_=changes))


async def deactivate_person(session: AsyncSession, org_id, user_id, *, new_name: str | None = None) -> None:
    values: dict = {"active": False}
    if new_name is not None:
        values |= {"full_name": new_name, "birth_year": None}
    await session.execute(update(Person).where(Person.org_id == org_id, Person.user_id == user_id).values(**values))


async def join_team(session: AsyncSession, org_id, team_id, user_id, role: str) -> None:
    await roster.join_roster(session, RosterEntry, org_id, team_id, user_id, role)


async def leave_team(session: AsyncSession, org_id, user_id, *, team_id=None, role: str | None = None) -> None:
    await roster.leave_roster(session, RosterEntry, org_id, user_id, team_id=team_id, role=role)


async def link_guardian(session: AsyncSession, org_id, guardian_id, minor_id) -> None:
    await session.execute(
        pg_insert(GuardianLink)
        .values(guardian_id=guardian_id, minor_id=minor_id, org_id=org_id)
        .on_conflict_do_nothing()
    )


async def unlink_guardian(session: AsyncSession, org_id, guardian_id=None, minor_id=None) -> None:
    statement = delete(GuardianLink).where(GuardianLink.org_id == org_id)
    if guardian_id is not None:
        statement = statement.where(GuardianLink.guardian_id == guardian_id)
    if minor_id is not None:
        statement = statement.where(GuardianLink.minor_id == minor_id)
    await session.execute(statement)


async def team_members(session: AsyncSession, org_id, team_id, roles: Iterable[str]) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(RosterEntry.user_id)
        .join(Person, Person.user_id == RosterEntry.user_id, isouter=True)
        .where(RosterEntry.org_id == org_id, RosterEntry.team_id == team_id, RosterEntry.role.in_(list(roles)))
        .where(Person.active.is_not(False))
    )
    return set(rows)


async def staff_of_players_teams(session: AsyncSession, org_id, player_id, roles: Iterable[str]) -> set[uuid.UUID]:
    """The people in ``roles`` on every team the player plays for."""
    players_teams = select(RosterEntry.team_id).where(
        RosterEntry.org_id == org_id, RosterEntry.user_id == player_id, RosterEntry.role == "player"
    )
    rows = await session.scalars(
        select(RosterEntry.user_id).where(
            RosterEntry.org_id == org_id, RosterEntry.team_id.in_(players_teams), RosterEntry.role.in_(list(roles))
        )
    )
    return set(rows)


async def names_of(session: AsyncSession, org_id, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    ids = list(user_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(Person.user_id, Person.full_name).where(Person.org_id == org_id, Person.user_id.in_(ids))
    )
    return dict(rows.all())


async def teams_of(session: AsyncSession, org_id, user_id) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(RosterEntry.team_id).where(RosterEntry.org_id == org_id, RosterEntry.user_id == user_id)
    )
    return set(rows)


async def person_name(session: AsyncSession, org_id, user_id) -> str | None:
    return await session.scalar(select(Person.full_name).where(Person.org_id == org_id, Person.user_id == user_id))


async def guardians_of(session: AsyncSession, org_id, minor_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    minors = list(minor_ids)
    if not minors:
        return set()
    rows = await session.scalars(
        select(GuardianLink.guardian_id).where(GuardianLink.org_id == org_id, GuardianLink.minor_id.in_(minors))
    )
    return set(rows)


async def erase_person(session: AsyncSession, org_id, user_id) -> None:
    """Everything told to the person goes; what they were told about is someone else's (the event's) to keep."""
    await session.execute(
        delete(Notification).where(Notification.org_id == org_id, Notification.recipient_id == user_id)
    )
    await session.execute(delete(Preference).where(Preference.org_id == org_id, Preference.user_id == user_id))
    await session.execute(delete(Contact).where(Contact.org_id == org_id, Contact.user_id == user_id))
    await session.execute(
        delete(PushSubscription).where(PushSubscription.org_id == org_id, PushSubscription.user_id == user_id)
    )
    await leave_team(session, org_id, user_id)
    await unlink_guardian(session, org_id, guardian_id=user_id)
    await unlink_guardian(session, org_id, minor_id=user_id)


async def keep_calendar_entry(session: AsyncSession, values: dict) -> None:
    statement = pg_insert(CalendarEntry).values(**values)
    changes = {key: value for key, value in values.items() if key != "series_id"}
    await session.execute(statement.on_conflict_do_update(index_elements=[CalendarEntry.series_id], set_=changes))


async def calendar_entry(session: AsyncSession, org_id, series_id) -> CalendarEntry | None:
    return await session.scalar(
        select(CalendarEntry).where(CalendarEntry.org_id == org_id, CalendarEntry.series_id == series_id)
    )
