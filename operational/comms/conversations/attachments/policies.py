"""Who may have which attachment: once sent, those who may read its conversation (its members, and a guardian of a
member); before it is sent, only the person who uploaded it. A deleted message's attachments are nobody's."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms.conversations import repository as conversations
from operational.comms.conversations.attachments import repository
from operational.comms.conversations.models import Attachment
from operational.kit.auth import Principal
from operational.kit.loaders import Loader


async def _with_readers(session: AsyncSession, principal: Principal, attachment_id):
    attachment = await repository.get(session, principal.org_id, attachment_id)
    if attachment is None:
        return None
    if attachment.message_id is not None and await repository.message_deleted(session, attachment.message_id):
        return None  # gone with its message
    attachment.member_set = await conversations.member_ids(session, attachment.conversation_id)
    return attachment


def can_read(principal: Principal, attachment: Attachment) -> bool:
    if attachment.message_id is None:
        return attachment.uploaded_by == principal.user_id
    members = attachment.member_set
    return principal.user_id in members or bool(principal.guardian_of & members)


attachment_loader = Loader(
    "attachment", _with_readers, allowed=can_read, denied="That file is in a conversation you are not in."
)
ReadableAttachment = attachment_loader.from_path("attachment_id")
