"""Medical documents: uploaded by medical staff to a problem, checked by content (type and size), encrypted with the
player's key before they reach the storage, downloaded only through the API; every upload, listing and download is
in the access log."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import HubError, InvalidValue, NotFound
from operational.kit.pagination import PageParams
from operational.medical import access_log
from operational.medical.config import MedicalSettings
from operational.medical.documents import crypto, repository, storage
from operational.medical.documents.schemas import SIGNATURES
from operational.medical.models import Document, HealthProblem

RECORD = "document"


class TooLarge(HubError):
    status_code = 413
    code = "too_large"


def sniff(content: bytes) -> str:
    for content_type, signature in SIGNATURES:
        if content.startswith(signature):
            return content_type
    raise InvalidValue("A document is a PDF, PNG or JPEG file (told by its content).", field="file")


def _filename(name: str | None) -> str:
    cleaned = "".join(ch for ch in (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1] if ch.isprintable())
    return cleaned.strip()[:200] or "document"


async def _player_key(session: AsyncSession, settings: MedicalSettings, org_id, player_id, *, create: bool) -> bytes:
    kek = crypto.key_encryption_key(settings.documents_key_file)
    wrapped = await repository.wrapped_key(session, org_id, player_id)
    if wrapped is None:
        if not create:
            raise NotFound("This player's documents were erased.")
        new_key = crypto.wrap_player_key(kek, crypto.new_player_key(), player_id)
        wrapped = await repository.keep_key(session, org_id, player_id, new_key)
    return crypto.unwrap_player_key(kek, wrapped, player_id)


async def upload(
    session: AsyncSession,
    principal: Principal,
    settings: MedicalSettings,
    problem: HealthProblem,
    filename: str | None,
    content: bytes,
) -> Document:
    if len(content) > settings.max_document_bytes:
        raise TooLarge(f"A document is at most {settings.max_document_bytes:,} bytes.", field="file")
    if not content:
        raise InvalidValue("The file is empty.", field="file")
    content_type = sniff(content)
    document_id = uuid.uuid4()
    key = await _player_key(session, settings, problem.org_id, problem.player_id, create=True)
    document = Document(
        id=document_id,
        org_id=problem.org_id,
        player_id=problem.player_id,
        problem_id=problem.id,
        filename=_filename(filename),
        content_type=content_type,
        size_bytes=len(content),
        storage_key=f"{problem.org_id}/{problem.player_id}/{document_id}",
        uploaded_by=principal.user_id,
        uploaded_at=datetime.now(UTC),
    )
    session.add(document)
    await session.flush()
    await access_log.record_one(session, principal, "create", RECORD, document.player_id, document.id)
    # last: a failure before this stores nothing; a failure of the commit after it leaves an unreadable orphan
    await storage.put(
        storage.storage_for(settings), document.storage_key, crypto.encrypt_document(key, content, document_id)
    )
    return document


async def list_documents(
    session: AsyncSession, principal: Principal, problem: HealthProblem, page: PageParams
) -> tuple[list[Document], int]:
    items, total = await repository.list_documents(session, problem.org_id, problem.id, page)
    await access_log.record(session, principal, "read", RECORD, [(d.player_id, d.id) for d in items])
    return items, total


async def download(session: AsyncSession, principal: Principal, settings: MedicalSettings, document: Document) -> bytes:
    key = await _player_key(session, settings, document.org_id, document.player_id, create=False)
    try:
        sealed = await storage.get(storage.storage_for(settings), document.storage_key)
    except storage.StoredObjectMissing as exc:
        raise NotFound("The document's content is missing from the storage.") from exc
    content = crypto.decrypt_document(key, sealed, document.id)
    await access_log.record_one(session, principal, "read", RECORD, document.player_id, document.id)
    return content
