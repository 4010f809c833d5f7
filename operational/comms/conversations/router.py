from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, WebSocket, WebSocketDisconnect, status
from pydantic import AwareDatetime

from operational.comms.config import SettingsDep
from operational.comms.conversations import service
from operational.comms.conversations.policies import (
    JoinedConversation,
    ReadableConversation,
    audited_message,
    own_message,
)
from operational.comms.conversations.schemas import (
    ConversationCreate,
    ConversationRead,
    MemberAdd,
    MessageCreate,
    MessageHistory,
    MessageList,
    MessageRead,
    MessageUpdate,
    ReceiptList,
)
from operational.kit.auth import CurrentUser, verify_access_token
from operational.kit.db import SessionDep
from operational.kit.errors import HubError

conversations_router = APIRouter(prefix="/api/v1/comms", tags=["comms"])
After = Annotated[uuid.UUID | None, Query(description="A message id: only the messages after it")]
Limit = Annotated[int, Query(ge=1, le=200)]
ChangedSince = Annotated[
    AwareDatetime | None, Query(description="Only the messages edited or deleted after this moment (ISO 8601)")
]


async def _one(session, user, conversation_id) -> ConversationRead:
    return next(c for c in await service.conversations(session, user) if c.id == conversation_id)


@conversations_router.post("/conversations", status_code=status.HTTP_201_CREATED, response_model=ConversationRead)
async def create_conversation(body: ConversationCreate, session: SessionDep, user: CurrentUser) -> ConversationRead:
    """Start a group or a private conversation. With a minor in it, an adult staff member needs the minor's guardian
    or a second adult in it too (422 otherwise)."""
    conversation = await service.create_conversation(session, user, body)
    return await _one(session, user, conversation.id)


@conversations_router.get("/conversations", response_model=list[ConversationRead])
async def list_conversations(session: SessionDep, user: CurrentUser) -> list[ConversationRead]:
    """Your conversations and your children's, with your unread counts."""
    return await service.conversations(session, user)


@conversations_router.post("/conversations/{conversation_id}/members", response_model=ConversationRead)
async def add_member(
    conversation: JoinedConversation, body: MemberAdd, session: SessionDep, user: CurrentUser
) -> ConversationRead:
    """Add someone (a member may; the safeguarding rule is checked again)."""
    await service.add_member(session, user, conversation, body.user_id)
    return await _one(session, user, conversation.id)


@conversations_router.delete("/conversations/{conversation_id}/members/me", status_code=status.HTTP_204_NO_CONTENT)
async def leave(conversation: JoinedConversation, session: SessionDep, user: CurrentUser) -> Response:
    """Leave a group or private conversation."""
    await service.leave(session, user, conversation)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@conversations_router.get("/conversations/{conversation_id}/messages", response_model=MessageList)
async def list_messages(
    conversation: ReadableConversation,
    session: SessionDep,
    user: CurrentUser,
    settings: SettingsDep,
    after: After = None,
    changed_since: ChangedSince = None,
    limit: Limit = 50,
) -> MessageList:
    """Messages oldest first, with their files. Back from being offline: pass the last id you have as `after` to
    get the new ones, and when you went away as `changed_since` to get those edited or deleted since. On your own
    messages, `read_by` counts the recipients who have read them (when read receipts are on)."""
    return await service.messages(session, settings, user, conversation, after, limit, changed_since=changed_since)


@conversations_router.post(
    "/conversations/{conversation_id}/messages", status_code=status.HTTP_201_CREATED, response_model=MessageRead
)
async def post_message(
    conversation: JoinedConversation, body: MessageCreate, session: SessionDep, user: CurrentUser
) -> MessageRead:
    """Write in a conversation you are in (optionally replying to one of its messages, and with files you uploaded
    to it, `attachment_ids`); its members and their guardians get it live."""
    return await service.post(session, user, conversation, body)


@conversations_router.post("/conversations/{conversation_id}/read", status_code=status.HTTP_204_NO_CONTENT)
async def mark_read(conversation: JoinedConversation, session: SessionDep, user: CurrentUser) -> Response:
    """Everything in the conversation up to now is read."""
    await service.mark_read(session, user, conversation)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@conversations_router.patch("/messages/{message_id}", response_model=MessageRead)
async def edit_message(
    message_id: uuid.UUID, body: MessageUpdate, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> MessageRead:
    """Change your message within the club's edit window (409 after it); the earlier text is kept for the
    safeguarding audit."""
    return await service.edit(session, settings, user, await own_message(session, user, message_id), body.body)


@conversations_router.delete("/messages/{message_id}", response_model=MessageRead)
async def delete_message(
    message_id: uuid.UUID, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> MessageRead:
    """Delete your message within the club's edit window: it keeps its place, shown as deleted, without its text
    or files (the text is kept for the safeguarding audit)."""
    return await service.delete(session, settings, user, await own_message(session, user, message_id))


@conversations_router.get("/messages/{message_id}/receipts", response_model=ReceiptList)
async def message_receipts(
    message_id: uuid.UUID, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> ReceiptList:
    """Who has read your message, and when: the recipients whose read receipts are shown. 403 for someone else's
    message; 409 when read receipts are off for you (the club's switch or your own)."""
    message = await own_message(session, user, message_id, denied="You see who read your own messages only.")
    return await service.receipts(session, settings, user, message)


@conversations_router.get("/messages/{message_id}/history", response_model=MessageHistory)
async def message_history(message_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> MessageHistory:
    """Club admins (the safeguarding audit): a message as it is now and every earlier text, edited or deleted."""
    return await service.history(session, await audited_message(session, user, message_id))


@conversations_router.websocket("/live")
async def live(websocket: WebSocket, access_token: str = Query(...)) -> None:
    """New, changed and deleted messages of your conversations (and your children's) as they happen. Browsers cannot
    set headers on a WebSocket, so the access token comes as a query parameter. What was sent while you were away:
    GET the messages after the last id you have."""
    settings = websocket.app.state.settings
    try:
        principal = verify_access_token(
            access_token,
            public_key_pem=settings.public_key_pem,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        )
    except HubError as exc:
        await websocket.close(code=4000 + exc.status_code, reason=exc.message[:120])
        return
    with websocket.app.state.live.listen(service.person_topic(principal.user_id)) as updates:
        await websocket.accept()
        await websocket.send_json({"type": "ready"})
        receiver = asyncio.create_task(websocket.receive_text())  # notices the client leaving
        try:
            while True:
                getter = asyncio.create_task(updates.get())
                done, _ = await asyncio.wait({getter, receiver}, return_when=asyncio.FIRST_COMPLETED)
                if receiver in done:
                    getter.cancel()
                    break
                await websocket.send_json(getter.result())
        except WebSocketDisconnect:
            pass
        finally:
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await receiver
