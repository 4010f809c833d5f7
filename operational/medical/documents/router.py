"""Medical documents of a problem: upload (medical staff), list and download (medical staff, the player, a guardian).
Downloads go through the API only, each one logged."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, File, Response, UploadFile, status

from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.pagination import PageDep
from operational.medical.config import SettingsDep
from operational.medical.documents import service
from operational.medical.documents.schemas import DocumentPage, DocumentRead
from operational.medical.loaders import EditableProblem, ReadableDocument, ReadableProblem

documents_router = APIRouter(prefix="/api/v1/medical", tags=["medical"])


@documents_router.post(
    "/problems/{problem_id}/documents", status_code=status.HTTP_201_CREATED, response_model=DocumentRead
)
async def upload_document(
    problem: EditableProblem, session: SessionDep, user: CurrentUser, settings: SettingsDep, file: UploadFile = File()
) -> DocumentRead:
    """Medical staff: a PDF, PNG or JPEG (told by its content; at most ``HUB_MEDICAL_MAX_DOCUMENT_BYTES``, 10 MiB by
    default, else 413), encrypted with the player's key before it is stored."""
    content = await file.read(settings.max_document_bytes + 1)
    return DocumentRead.model_validate(await service.upload(session, user, settings, problem, file.filename, content))


@documents_router.get("/problems/{problem_id}/documents", response_model=DocumentPage)
async def list_documents(
    problem: ReadableProblem, session: SessionDep, user: CurrentUser, page: PageDep
) -> DocumentPage:
    """The problem's documents, newest first: medical staff, the player and a minor's guardian."""
    items, total = await service.list_documents(session, user, problem, page)
    return DocumentPage.of(items, total, page)


@documents_router.get(
    "/documents/{document_id}",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}}}},
)
async def download_document(
    document: ReadableDocument, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> Response:
    """The document itself, decrypted: medical staff, the player and a minor's guardian; every download is logged."""
    content = await service.download(session, user, settings, document)
    disposition = f"attachment; filename*=UTF-8''{quote(document.filename)}"
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    return Response(content, media_type=document.content_type, headers=headers)
