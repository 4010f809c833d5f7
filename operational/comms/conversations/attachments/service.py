"""Attachments: a member uploads a file to a conversation (``POST /conversations/{id}/attachments``), then sends it
with a message (``attachment_ids``). Files are checked by their content (PDF, PNG, JPEG, GIF or WebP) and size
(``HUB_COMMS_MAX_ATTACHMENT_BYTES``, 10 MiB by default; 413 above it) and kept through the kit's storage port (a
local directory, by default ``var/comms-attachments``, or any S3 API); they are served only through the API."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms.config import CommsSettings
from operational.comms.conversations.attachments import repository
from operational.comms.conversations.attachments.schemas import MAX_PER_MESSAGE, SIGNATURES
from operational.comms.conversations.models import Attachment
from operational.comms.models import Conversation, Message
from operational.kit import storage
from operational.kit.auth import Principal
from operational.kit.errors import Conflict, HubError, InvalidValue, NotFound
from operational.kit.ids import uuid7

log = logging.getLogger(__name__)


class TooLarge(HubError):
    status_code = 413
    code = "too_large"


def storage_for(settings: CommsSettings) -> storage.ObjectStorage:
    secret = settings.s3_secret_access_key
    return storage.object_storage(
        settings.attachment_storage,
        directory=settings.attachments_directory,
        bucket=settings.s3_bucket,
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=secret.get_secret_value() if secret else None,
    )


def sniff(content: bytes) -> str:
    for content_type, signature, offset in SIGNATURES:
        if content[offset : offset + len(signature)] == signature:
            return content_type
    raise InvalidValue("A file is a PDF, PNG, JPEG, GIF or WebP (told by its content).", field="file")


def _filename(name: str | None) -> str:
    cleaned = "".join(ch for ch in (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1] if ch.isprintable())
    return cleaned.strip()[:200] or "file"


async def upload(
    session: AsyncSession,
    principal: Principal,
    settings: CommsSettings,
    conversation: Conversation,
    filename: str | None,
    content: bytes,
) -> Attachment:
    """A file of the caller's in ``conversation``, not yet sent (only they see it until a message carries it)."""
    if conversation.on_hold:
        raise Conflict("Nobody can write in this conversation until an adult joins it.")
    if len(content) > settings.max_attachment_bytes:
        raise TooLarge(f"A file is at most {settings.max_attachment_bytes:,} bytes.", field="file")
    if not content:
        raise InvalidValue("The file is empty.", field="file")
    attachment_id = uuid7()
    attachment = Attachment(
        id=attachment_id,
        org_id=conversation.org_id,
        conversation_id=conversation.id,
        uploaded_by=principal.user_id,
        filename=_filename(filename),
        content_type=sniff(content),
        size_bytes=len(content),
        storage_key=f"{conversation.org_id}/{conversation.id}/{attachment_id}",
        uploaded_at=datetime.now(UTC),
    )
    session.add(attachment)
    await session.flush()
    # last: a failure before this stores nothing; a failed commit after it leaves an object no row names
    await storage.put(storage_for(settings), attachment.storage_key, content)
    return attachment


async def attach(
    session: AsyncSession, principal: Principal, message: Message, attachment_ids: list[uuid.UUID]
) -> list[Attachment]:
    """Send the caller's uploaded files with ``message``: each must be theirs, of this conversation and not yet sent
    (404 naming the item otherwise; 409 for one already sent)."""
    if not attachment_ids:
        return []
    if len(set(attachment_ids)) != len(attachment_ids) or len(attachment_ids) > MAX_PER_MESSAGE:
        raise InvalidValue(f"At most {MAX_PER_MESSAGE} different files go with a message.", field="attachment_ids")
    found = await repository.by_ids(session, principal.org_id, attachment_ids)
    for index, attachment_id in enumerate(attachment_ids):
        attachment = found.get(attachment_id)
        if (
            attachment is None
            or attachment.uploaded_by != principal.user_id
            or attachment.conversation_id != message.conversation_id
        ):
            raise NotFound("No such file of yours in this conversation.", field=f"attachment_ids.{index}")
        if attachment.message_id is not None:
            raise Conflict("That file was already sent with another message.", field=f"attachment_ids.{index}")
    await repository.attach(session, attachment_ids, message.id)
    return [found[attachment_id] for attachment_id in attachment_ids]


async def download(settings: CommsSettings, attachment: Attachment) -> bytes:
    try:
        return await storage.get(storage_for(settings), attachment.storage_key)
    except storage.StoredObjectMissing as exc:
        raise NotFound("The file's content is missing from the storage.") from exc


async def erase_uploads(session: AsyncSession, settings: CommsSettings, org_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """An erased person's files go, rows and stored bytes (as far as the storage lets us: a failure is left to the
    storage's own retention)."""
    keys = await repository.delete_uploads_of(session, org_id, user_id)
    files = storage_for(settings)
    for key in keys:
        try:
            await storage.delete(files, key)
        except Exception:  # noqa: BLE001 - the rows are gone, so the bytes are unreachable through the API anyway
            log.warning("could not delete an erased person's file from the storage", extra={"key": key})
