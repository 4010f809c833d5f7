"""Attachments of conversations: upload (a member), download (those who may read the conversation)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, File, Response, UploadFile, status

from operational.comms.config import SettingsDep
from operational.comms.conversations.attachments import service
from operational.comms.conversations.attachments.policies import ReadableAttachment
from operational.comms.conversations.attachments.schemas import SIGNATURES, AttachmentRead
from operational.comms.conversations.policies import JoinedConversation
from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep

attachments_router = APIRouter(prefix="/api/v1/comms", tags=["comms"])


@attachments_router.post(
    "/conversations/{conversation_id}/attachments", status_code=status.HTTP_201_CREATED, response_model=AttachmentRead
)
async def upload_attachment(
    conversation: JoinedConversation,
    session: SessionDep,
    user: CurrentUser,
    settings: SettingsDep,
    file: UploadFile = File(),
) -> AttachmentRead:
    """A member uploads a PDF, PNG, JPEG, GIF or WebP (told by its content; at most
    ``HUB_COMMS_MAX_ATTACHMENT_BYTES``, 10 MiB by default, else 413); send it by naming its id in a message's
    ``attachment_ids``. Until then only you can fetch it."""
    content = await file.read(settings.max_attachment_bytes + 1)
    attachment = await service.upload(session, user, settings, conversation, file.filename, content)
    return AttachmentRead.model_validate(attachment)


@attachments_router.get(
    "/attachments/{attachment_id}",
    response_class=Response,
    responses={200: {"content": {content_type: {} for content_type, _, _ in SIGNATURES}}},
)
async def download_attachment(attachment: ReadableAttachment, settings: SettingsDep) -> Response:
    """The file: the conversation's members and a member's guardian (the uploader alone before it is sent); gone
    (404) with a deleted message."""
    content = await service.download(settings, attachment)
    disposition = f"attachment; filename*=UTF-8''{quote(attachment.filename)}"
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    return Response(content, media_type=attachment.content_type, headers=headers)
