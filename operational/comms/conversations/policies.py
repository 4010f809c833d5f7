"""Who may read and write which conversation and message.

Reading: the members, and a guardian of a member (a parent reads their child's conversations, as safeguarding asks).
Writing: members only. Changing a message and seeing who read it: its author. A message's earlier texts: club
admins (the safeguarding audit).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms.conversations import repository
from operational.comms.models import Conversation, Message
from operational.kit.auth import Principal
from operational.kit.errors import Forbidden, NotFound
from operational.kit.loaders import Loader

AUDITORS = ("club_admin", "platform_admin")


async def _conversation_with_members(session: AsyncSession, principal: Principal, conversation_id):
    conversation = await repository.get_conversation(session, principal.org_id, conversation_id)
    if conversation is not None:
        conversation.member_set = await repository.member_ids(session, conversation.id)
    return conversation


def can_read(principal: Principal, conversation: Conversation) -> bool:
    members = conversation.member_set
    return principal.user_id in members or bool(principal.guardian_of & members)


def is_member(principal: Principal, conversation: Conversation) -> bool:
    return principal.user_id in conversation.member_set


conversation_loader = Loader(
    "conversation", _conversation_with_members, allowed=can_read, denied="You are not in that conversation."
)
ReadableConversation = conversation_loader.from_path("conversation_id")
member_loader = conversation_loader.narrowed(is_member, "Only its members can write in a conversation.")
JoinedConversation = member_loader.from_path("conversation_id")


async def own_message(
    session: AsyncSession, principal: Principal, message_id, denied: str = "You can change only your own messages."
) -> Message:
    """The caller's own message (another club's or none: 404; someone else's: 403)."""
    message = await repository.get_message(session, principal.org_id, message_id)
    if message is None or principal.user_id not in await repository.member_ids(session, message.conversation_id):
        raise NotFound("No such message.")
    if message.author_id != principal.user_id:
        raise Forbidden(denied)
    return message


async def audited_message(session: AsyncSession, principal: Principal, message_id) -> Message:
    """Any message of the club, for a club admin's safeguarding audit (another club's or none: 404; others: 403)."""
    message = await repository.get_message(session, principal.org_id, message_id)
    if message is None:
        raise NotFound("No such message.")
    if not principal.has_any_role(*AUDITORS):
        raise Forbidden("Only club admins read a message's earlier texts.")
    return message
