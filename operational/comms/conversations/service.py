"""Conversations: team channels kept in step with rosters, groups and private conversations under the safeguarding
rule, messages with replies, edits and deletes within a window, read marks and unread counts, live delivery.

A new, changed or deleted message is sent, once its transaction commits, to the live topic of every member and of
every member's guardian (``comms.people.<user id>``); a WebSocket of that person in any API process receives it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms import events
from operational.comms import repository as comms_repository
from operational.comms.config import CommsSettings
from operational.comms.conversations import repository, safeguarding
from operational.comms.conversations.attachments import repository as attachments_repository
from operational.comms.conversations.attachments import service as attachments
from operational.comms.conversations.attachments.schemas import AttachmentRead
from operational.comms.conversations.schemas import (
    ConversationCreate,
    ConversationRead,
    MessageCreate,
    MessageHistory,
    MessageList,
    MessageRead,
    ReceiptList,
    ReceiptRead,
    RevisionRead,
)
from operational.comms.conversations.settings import service as club_settings
from operational.comms.models import Conversation, Message, outbox
from operational.kit import live
from operational.kit.auth import Principal
from operational.kit.errors import Conflict, InvalidValue, NotFound
from operational.kit.ids import uuid7


def person_topic(user_id: uuid.UUID) -> str:
    return f"comms.people.{user_id}"


async def create_conversation(session: AsyncSession, principal: Principal, body: ConversationCreate) -> Conversation:
    """A group or private conversation of the caller and ``body.member_ids``; refused (422, and audited) when the
    safeguarding rule does not hold for them."""
    org_id, now = principal.org_id, datetime.now(UTC)
    wanted = set(body.member_ids) | {principal.user_id}
    known = await repository.active_people(session, org_id, wanted - {principal.user_id})
    if unknown := sorted(set(body.member_ids) - known - {principal.user_id}):
        raise NotFound("No such person in your club.", field=f"member_ids.{body.member_ids.index(unknown[0])}")
    if body.kind == "group" and not body.title:
        raise InvalidValue("A group needs a title.", field="title")
    members = await safeguarding.members_as_known(session, org_id, wanted, now)
    if reason := safeguarding.breach(members):
        await safeguarding.audit(
            session,
            org_id,
            conversation_id=None,
            actor_id=principal.user_id,
            action="create",
            decision="refused",
            members=members,
            reason=reason,
        )
        # nothing else was written: the refusal is kept as evidence
        raise InvalidValue(reason, field="member_ids", keep_changes=True)
    conversation = Conversation(
        id=uuid7(), org_id=org_id, kind=body.kind, title=body.title, created_by=principal.user_id, created_at=now
    )
    session.add(conversation)
    await session.flush()
    await repository.add_members(session, conversation, wanted, now)
    await safeguarding.audit(
        session,
        org_id,
        conversation_id=conversation.id,
        actor_id=principal.user_id,
        action="create",
        decision="allowed",
        members=members,
        reason="a guardian or a second adult is in it, or no staff member and minor together",
    )
    conversation.member_set = wanted
    return conversation


async def add_member(session: AsyncSession, principal: Principal, conversation: Conversation, user_id) -> Conversation:
    if conversation.kind == "team":
        raise Conflict("A team's channel follows the team's roster; add the person to the team instead.")
    if not await repository.active_people(session, principal.org_id, [user_id]):
        raise NotFound("No such person in your club.", field="user_id")
    now = datetime.now(UTC)
    members = await safeguarding.members_as_known(session, principal.org_id, conversation.member_set | {user_id}, now)
    if reason := safeguarding.breach(members):
        await safeguarding.audit(
            session,
            principal.org_id,
            conversation_id=conversation.id,
            actor_id=principal.user_id,
            action="join",
            decision="refused",
            members=members,
            reason=reason,
        )
        raise InvalidValue(reason, field="user_id", keep_changes=True)
    await repository.add_members(session, conversation, [user_id], now)
    conversation.member_set = conversation.member_set | {user_id}
    if conversation.on_hold:
        await repository.set_on_hold(session, conversation, False)
        await safeguarding.audit(
            session,
            principal.org_id,
            conversation_id=conversation.id,
            actor_id=principal.user_id,
            action="join",
            decision="released",
            members=members,
            reason="the rule holds again",
        )
    return conversation


async def leave(session: AsyncSession, principal: Principal, conversation: Conversation) -> None:
    """The caller leaves. When the rule no longer holds for those who stay, the conversation is put on hold."""
    if conversation.kind == "team":
        raise Conflict("You are in a team's channel as long as you are in the team.")
    await remove_and_recheck(session, conversation, principal.user_id, actor_id=principal.user_id)


async def remove_and_recheck(session: AsyncSession, conversation: Conversation, user_id, *, actor_id) -> None:
    await repository.remove_member(session, conversation.id, user_id)
    staying = await repository.member_ids(session, conversation.id)
    if conversation.kind == "team":
        return
    now = datetime.now(UTC)
    members = await safeguarding.members_as_known(session, conversation.org_id, staying, now)
    if reason := safeguarding.breach(members):
        await repository.set_on_hold(session, conversation, True)
        await safeguarding.audit(
            session,
            conversation.org_id,
            conversation_id=conversation.id,
            actor_id=actor_id,
            action="leave",
            decision="on_hold",
            members=members,
            reason=reason,
        )
    else:
        await safeguarding.audit(
            session,
            conversation.org_id,
            conversation_id=conversation.id,
            actor_id=actor_id,
            action="leave",
            decision="allowed",
            members=members,
            reason="the rule still holds",
        )


async def conversations(session: AsyncSession, principal: Principal) -> list[ConversationRead]:
    """Yours and your children's, newest first, with their members' names and your unread counts."""
    query = repository.visible_to(principal.org_id, principal.user_id, principal.guardian_of)
    rows = list(await session.scalars(query.order_by(Conversation.created_at.desc(), Conversation.id.desc())))
    unread = await repository.unread_counts(session, principal.user_id, [c.id for c in rows])
    result = []
    for conversation in rows:
        members = await repository.member_ids(session, conversation.id)
        names = await comms_repository.names_of(session, principal.org_id, members)
        result.append(
            ConversationRead(
                id=conversation.id,
                kind=conversation.kind,
                title=conversation.title,
                team_id=conversation.team_id,
                members=sorted(names.values()),
                unread=unread.get(conversation.id, 0),
                on_hold=conversation.on_hold,
                as_guardian=principal.user_id not in members,
            )
        )
    return result


async def post(
    session: AsyncSession, principal: Principal, conversation: Conversation, body: MessageCreate
) -> MessageRead:
    if conversation.on_hold:
        raise Conflict(safeguarding.RULE + " Add an adult to the conversation to write in it again.")
    if body.reply_to_id is not None:
        replied = await repository.get_message(session, principal.org_id, body.reply_to_id)
        if replied is None or replied.conversation_id != conversation.id:
            raise NotFound("No such message in this conversation.", field="reply_to_id")
    message = Message(
        id=uuid7(),
        org_id=principal.org_id,
        conversation_id=conversation.id,
        author_id=principal.user_id,
        body=body.body,
        reply_to_id=body.reply_to_id,
        created_at=datetime.now(UTC),
    )
    session.add(message)
    await session.flush()
    files = await attachments.attach(session, principal, message, body.attachment_ids)
    await outbox.record(session, events.message_sent(conversation, message, principal, len(files)))
    await repository.mark_read(session, conversation.id, principal.user_id, message.id, message.created_at)
    return await _announce(session, conversation, message, "message")


async def edit(
    session: AsyncSession, settings: CommsSettings, principal: Principal, message: Message, body: str
) -> MessageRead:
    """The author changes the text within the club's edit window (409 after it); the earlier text is kept."""
    await _within_window(session, settings, message)
    now = datetime.now(UTC)
    await repository.add_revision(session, message, "edited", message.body, now)
    message.body, message.edited_at = body, now
    await outbox.record(session, events.message_edited(message, principal))
    return await _announce(session, None, message, "message_edited")


async def delete(session: AsyncSession, settings: CommsSettings, principal: Principal, message: Message) -> MessageRead:
    """The author deletes it within the club's edit window: it shows as deleted, its text kept for the audit only."""
    await _within_window(session, settings, message)
    now = datetime.now(UTC)
    await repository.add_revision(session, message, "deleted", message.body, now)
    message.body, message.deleted_at = None, now
    await outbox.record(session, events.message_deleted(message, principal))
    return await _announce(session, None, message, "message_deleted")


async def _within_window(session: AsyncSession, settings: CommsSettings, message: Message) -> None:
    if message.deleted_at is not None:
        raise Conflict("That message is deleted.")
    window = (await club_settings.club_rules(session, settings, message.org_id)).edit_window_minutes
    if datetime.now(UTC) - message.created_at > timedelta(minutes=window):
        raise Conflict(f"A message can be changed for {window} minutes after it is sent.")


async def messages(
    session: AsyncSession,
    settings: CommsSettings,
    principal: Principal,
    conversation: Conversation,
    after: uuid.UUID | None,
    limit: int,
    *,
    changed_since: datetime | None = None,
) -> MessageList:
    """The messages after the cursor ``after`` (from the start without it), oldest first, with their files; on your
    own messages how many recipients have read them, when read receipts are on for you."""
    if after is not None:
        cursor = await repository.get_message(session, principal.org_id, after)
        if cursor is None or cursor.conversation_id != conversation.id:
            raise NotFound("No such message in this conversation.", field="after")
    rows = await repository.messages_after(session, conversation.id, after, limit, changed_since=changed_since)
    names = await comms_repository.names_of(session, principal.org_id, {m.author_id for m in rows})
    files = await attachments_repository.of_messages(session, [m.id for m in rows])
    marks = await repository.read_marks(session, conversation.id)
    shown = await club_settings.receipts_shown(session, settings, principal.org_id, set(marks) | {principal.user_id})
    items = []
    for message in rows:
        read = _read(message, names, files.get(message.id, []))
        if message.author_id == principal.user_id and principal.user_id in shown:
            read.read_by = sum(1 for user_id, mark in marks.items() if user_id != principal.user_id
                               and user_id in shown and mark is not None and mark >= message.id)  # fmt: skip
        items.append(read)
    return MessageList(items=items, next_after=items[-1].id if len(items) == limit else None)


async def mark_read(session: AsyncSession, principal: Principal, conversation: Conversation) -> None:
    latest = await repository.latest_message_id(session, conversation.id)
    if latest is not None:
        await repository.mark_read(session, conversation.id, principal.user_id, latest, datetime.now(UTC))


def _read(message: Message, names: dict, files: list | None = None) -> MessageRead:
    deleted = message.deleted_at is not None
    return MessageRead(
        id=message.id,
        conversation_id=message.conversation_id,
        author=names.get(message.author_id, "Former member"),
        author_id=message.author_id,
        body=message.body,
        reply_to_id=message.reply_to_id,
        created_at=message.created_at,
        edited_at=message.edited_at,
        deleted=deleted,
        attachments=[] if deleted else [AttachmentRead.model_validate(f) for f in files or []],
    )


async def _announce(session: AsyncSession, conversation, message: Message, kind: str) -> MessageRead:
    members = await repository.member_ids(session, message.conversation_id)
    names = await comms_repository.names_of(session, message.org_id, {message.author_id})
    files = await attachments_repository.of_messages(session, [message.id])
    read = _read(message, names, files.get(message.id, []))
    guardians = await comms_repository.guardians_of(session, message.org_id, members)
    update = {"type": kind, "message": read.model_dump(mode="json")}
    for person in members | guardians:
        live.publish_after_commit(session, person_topic(person), update)
    return read


async def receipts(
    session: AsyncSession, settings: CommsSettings, principal: Principal, message: Message
) -> ReceiptList:
    """Who of the recipients (members other than the author, whose receipts are shown) has read the caller's
    ``message``, and when. 409 when read receipts are off for the caller (the club's switch or their own)."""
    marks = await repository.read_marks(session, message.conversation_id)
    shown = await club_settings.receipts_shown(session, settings, principal.org_id, set(marks) | {principal.user_id})
    if principal.user_id not in shown:
        raise Conflict("Read receipts are off for you (your club has them off, or you turned yours off).")
    recipients = [user_id for user_id in marks if user_id != principal.user_id and user_id in shown]
    names = await comms_repository.names_of(session, principal.org_id, set(recipients))
    first = await repository.first_read(session, message.conversation_id, message.id)
    items = []
    for user_id in recipients:
        read = marks[user_id] is not None and marks[user_id] >= message.id
        items.append(ReceiptRead(user_id=user_id, name=names.get(user_id, "Former member"), read=read,
                                 read_at=first.get(user_id) if read else None))  # fmt: skip
    items.sort(key=lambda item: (not item.read, item.name))
    return ReceiptList(message_id=message.id, read=sum(item.read for item in items), items=items)


async def history(session: AsyncSession, message: Message) -> MessageHistory:
    """The message now and every earlier text, oldest first."""
    revisions = await repository.revisions_of(session, message.id)
    return MessageHistory(
        message_id=message.id,
        conversation_id=message.conversation_id,
        author_id=message.author_id,
        body=message.body,
        deleted=message.deleted_at is not None,
        revisions=[RevisionRead(action=r.action, body=r.body, changed_at=r.changed_at) for r in revisions],
    )


# --- team channels follow the roster (users events) ------------------------------------------------------------


async def keep_team_channel(session: AsyncSession, org_id, team_id, name: str | None, at: datetime) -> Conversation:
    channel = await repository.team_channel(session, org_id, team_id)
    if channel is None:
        channel = Conversation(id=uuid7(), org_id=org_id, kind="team", team_id=team_id, title=name, created_at=at)
        session.add(channel)
        await session.flush()
    elif name is not None and channel.title != name:
        channel.title = name
    return channel


async def join_team_channel(session: AsyncSession, org_id, team_id, user_id, at: datetime) -> None:
    name = await comms_repository.team_name(session, org_id, team_id)
    channel = await keep_team_channel(session, org_id, team_id, name, at)
    await repository.add_members(session, channel, [user_id], at)


async def leave_team_channel(session: AsyncSession, org_id, team_id, user_id) -> None:
    """Out of the team's channel once the person has no role left on the team."""
    if team_id in await comms_repository.teams_of(session, org_id, user_id):
        return
    channel = await repository.team_channel(session, org_id, team_id)
    if channel is not None:
        await repository.remove_member(session, channel.id, user_id)


async def leave_everything(session: AsyncSession, org_id, user_id) -> None:
    """A deactivated or erased person leaves every conversation (the rule is checked again for those who stay)."""
    for conversation_id in await repository.conversations_of(session, org_id, user_id):
        conversation = await repository.get_conversation(session, org_id, conversation_id)
        await remove_and_recheck(session, conversation, user_id, actor_id=None)
