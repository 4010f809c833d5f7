"""All SQL of conversations: channels, members, messages, unread counts, and the safeguarding audit."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms.conversations.models import MessageRevision, ReadMark
from operational.comms.models import (
    Conversation,
    ConversationMember,
    GuardianLink,
    Message,
    Person,
    RosterEntry,
    SafeguardingAudit,
)


@dataclass(frozen=True)
class PersonFacts:
    birth_year: int | None
    roles: frozenset[str]
    guardian_of: frozenset[uuid.UUID]


async def safeguarding_facts(session: AsyncSession, org_id, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, PersonFacts]:
    """Year of birth, every role (club-wide and on any team) and the minors each person is guardian of."""
    people = {
        row.user_id: row
        for row in await session.scalars(select(Person).where(Person.org_id == org_id, Person.user_id.in_(user_ids)))
    }
    team_roles: dict[uuid.UUID, set[str]] = {}
    for user_id, role in await session.execute(
        select(RosterEntry.user_id, RosterEntry.role).where(
            RosterEntry.org_id == org_id, RosterEntry.user_id.in_(user_ids)
        )
    ):
        team_roles.setdefault(user_id, set()).add(role)
    guardians: dict[uuid.UUID, set[uuid.UUID]] = {}
    for guardian_id, minor_id in await session.execute(
        select(GuardianLink.guardian_id, GuardianLink.minor_id).where(
            GuardianLink.org_id == org_id, GuardianLink.guardian_id.in_(user_ids)
        )
    ):
        guardians.setdefault(guardian_id, set()).add(minor_id)
    return {
        user_id: PersonFacts(
            birth_year=people[user_id].birth_year if user_id in people else None,
            roles=frozenset(
                team_roles.get(user_id, set()) | set(people[user_id].org_roles if user_id in people else [])
            ),
            guardian_of=frozenset(guardians.get(user_id, set())),
        )
        for user_id in user_ids
        if user_id in people or user_id in team_roles
    }


async def active_people(session: AsyncSession, org_id, user_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    ids = list(user_ids)
    rows = await session.scalars(
        select(Person.user_id).where(Person.org_id == org_id, Person.user_id.in_(ids), Person.active.is_(True))
    )
    return set(rows)


async def add_audit(session: AsyncSession, values: dict) -> None:
    await session.execute(pg_insert(SafeguardingAudit).values(**values))


# --- conversations ------------------------------------------------------------------------------------------------


async def get_conversation(session: AsyncSession, org_id, conversation_id) -> Conversation | None:
    return await session.scalar(
        select(Conversation).where(Conversation.org_id == org_id, Conversation.id == conversation_id)
    )


async def member_ids(session: AsyncSession, conversation_id) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(ConversationMember.user_id).where(ConversationMember.conversation_id == conversation_id)
    )
    return set(rows)


async def add_members(session: AsyncSession, conversation: Conversation, user_ids: Iterable[uuid.UUID], at) -> None:
    rows = [{"conversation_id": conversation.id, "user_id": user_id, "org_id": conversation.org_id, "joined_at": at}
            for user_id in user_ids]  # fmt: skip
    if rows:
        await session.execute(pg_insert(ConversationMember).values(rows).on_conflict_do_nothing())


async def remove_member(session: AsyncSession, conversation_id, user_id) -> None:
    await session.execute(
        delete(ConversationMember).where(
            ConversationMember.conversation_id == conversation_id, ConversationMember.user_id == user_id
        )
    )


async def set_on_hold(session: AsyncSession, conversation: Conversation, on_hold: bool) -> None:
    conversation.on_hold = on_hold
    await session.flush()


def visible_to(org_id, user_id, guardian_of: Iterable[uuid.UUID]):
    """Conversations the person is in, or that a child of theirs is in."""
    people = [user_id, *guardian_of]
    return select(Conversation).where(
        Conversation.org_id == org_id,
        Conversation.id.in_(select(ConversationMember.conversation_id).where(ConversationMember.user_id.in_(people))),
    )


async def unread_counts(session: AsyncSession, user_id, conversation_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Per conversation, the messages by others after the last one the person read (deleted ones not counted)."""
    if not conversation_ids:
        return {}
    rows = await session.execute(
        select(Message.conversation_id, func.count())
        .join(
            ConversationMember,
            and_(ConversationMember.conversation_id == Message.conversation_id, ConversationMember.user_id == user_id),
        )
        .where(Message.conversation_id.in_(conversation_ids), Message.author_id != user_id)
        .where(Message.deleted_at.is_(None))
        .where(
            or_(ConversationMember.last_read_message_id.is_(None), Message.id > ConversationMember.last_read_message_id)
        )
        .group_by(Message.conversation_id)
    )
    return dict(rows.all())


async def mark_read(session: AsyncSession, conversation_id, user_id, message_id, at: datetime) -> None:
    """Move the person's read mark on to ``message_id`` (never back); each move is kept with its time (receipts)."""
    moved = await session.scalar(
        update(ConversationMember)
        .where(ConversationMember.conversation_id == conversation_id, ConversationMember.user_id == user_id)
        .where(
            or_(ConversationMember.last_read_message_id.is_(None), ConversationMember.last_read_message_id < message_id)
        )
        .values(last_read_message_id=message_id)
        .returning(ConversationMember.user_id)
    )
    if moved is not None:
        await session.execute(
            pg_insert(ReadMark)
            .values(conversation_id=conversation_id, user_id=user_id, message_id=message_id, read_at=at)
            .on_conflict_do_nothing()
        )


async def read_marks(session: AsyncSession, conversation_id) -> dict[uuid.UUID, uuid.UUID | None]:
    """Each member's last read message."""
    rows = await session.execute(
        select(ConversationMember.user_id, ConversationMember.last_read_message_id).where(
            ConversationMember.conversation_id == conversation_id
        )
    )
    return dict(rows.all())


async def first_read(session: AsyncSession, conversation_id, message_id) -> dict[uuid.UUID, datetime]:
    """When each member's read mark first reached ``message_id`` or beyond."""
    rows = await session.execute(
        select(ReadMark.user_id, func.min(ReadMark.read_at))
        .where(ReadMark.conversation_id == conversation_id, ReadMark.message_id >= message_id)
        .group_by(ReadMark.user_id)
    )
    return dict(rows.all())


async def team_channel(session: AsyncSession, org_id, team_id) -> Conversation | None:
    return await session.scalar(
        select(Conversation).where(
            Conversation.org_id == org_id, Conversation.kind == "team", Conversation.team_id == team_id
        )
    )


async def conversations_of(session: AsyncSession, org_id, user_id) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(ConversationMember.conversation_id).where(
            ConversationMember.org_id == org_id, ConversationMember.user_id == user_id
        )
    )
    return list(rows)


# --- messages -----------------------------------------------------------------------------------------------------


async def get_message(session: AsyncSession, org_id, message_id) -> Message | None:
    return await session.scalar(select(Message).where(Message.org_id == org_id, Message.id == message_id))


async def latest_message_id(session: AsyncSession, conversation_id) -> uuid.UUID | None:
    return await session.scalar(
        select(Message.id).where(Message.conversation_id == conversation_id).order_by(Message.id.desc()).limit(1)
    )


async def messages_after(
    session: AsyncSession, conversation_id, after: uuid.UUID | None, limit: int, *, changed_since: datetime | None
) -> list[Message]:
    query = select(Message).where(Message.conversation_id == conversation_id)
    if after is not None:
        query = query.where(Message.id > after)
    if changed_since is not None:
        query = query.where(or_(Message.edited_at > changed_since, Message.deleted_at > changed_since))
    return list(await session.scalars(query.order_by(Message.id).limit(limit)))


async def add_revision(session: AsyncSession, message: Message, action: str, body: str | None, at: datetime) -> None:
    session.add(
        MessageRevision(org_id=message.org_id, message_id=message.id, author_id=message.author_id, action=action,
                        body=body, changed_at=at)
    )  # fmt: skip
    await session.flush()


async def revisions_of(session: AsyncSession, message_id) -> list[MessageRevision]:
    rows = await session.scalars(
        select(MessageRevision).where(MessageRevision.message_id == message_id).order_by(MessageRevision.id)
    )
    return list(rows)


async def erase_author(session: AsyncSession, org_id, user_id, at: datetime) -> None:
    """An erased person's messages keep their place in the conversation, without their words (earlier ones too)."""
    await session.execute(
        delete(MessageRevision).where(MessageRevision.org_id == org_id, MessageRevision.author_id == user_id)
    )
    await session.execute(
        update(Message)
        .where(Message.org_id == org_id, Message.author_id == user_id)
        .values(body=None, deleted_at=func.coalesce(Message.deleted_at, at))
    )
