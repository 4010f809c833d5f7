"""Exercise library, templates, planned sessions and the live session channel."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Query, WebSocket, WebSocketDisconnect, status

from operational.kit.auth import CurrentUser, verify_access_token
from operational.kit.db import SessionDep
from operational.kit.errors import HubError
from operational.kit.pagination import PageDep
from operational.training import policies, programs, repository
from operational.training.live import live_sessions
from operational.training.schemas import (
    ExerciseCategory,
    ExerciseCreate,
    ExercisePage,
    ExerciseRead,
    ExerciseUpdate,
    PerformedUpdate,
    SessionCreate,
    SessionRead,
    TemplateCreate,
    TemplateRead,
    TemplateUpdate,
)

programs_router = APIRouter(prefix="/api/v1/training", tags=["training programs"])


def _exercise_read(exercise) -> ExerciseRead:
    return ExerciseRead.model_validate(exercise).model_copy(update={"predefined": exercise.org_id is None})


@programs_router.get("/exercises", response_model=ExercisePage)
async def list_exercises(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    category: ExerciseCategory | None = None,
    muscle_group: Annotated[str | None, Query(max_length=40)] = None,
    q: Annotated[str | None, Query(max_length=80, description="Part of the name")] = None,
) -> ExercisePage:
    """The predefined library (120 exercises: on-ice, strength, power, conditioning, agility, mobility, core) and the
    club's own."""
    items, total = await repository.list_exercises(
        session,
        user.org_id,
        category=category,
        search=q,
        muscle_group=muscle_group,
        limit=page.limit,
        offset=page.offset,
    )
    return ExercisePage(items=[_exercise_read(e) for e in items], total=total, limit=page.limit, offset=page.offset)


@programs_router.post("/exercises", status_code=status.HTTP_201_CREATED, response_model=ExerciseRead)
async def create_exercise(body: ExerciseCreate, session: SessionDep, user: CurrentUser) -> ExerciseRead:
    return _exercise_read(await programs.create_exercise(session, user, body))


@programs_router.get("/exercises/{exercise_id}", response_model=ExerciseRead)
async def get_exercise(exercise_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> ExerciseRead:
    return _exercise_read(await programs.get_exercise(session, user, exercise_id))


@programs_router.patch("/exercises/{exercise_id}", response_model=ExerciseRead)
async def update_exercise(
    exercise_id: uuid.UUID, body: ExerciseUpdate, session: SessionDep, user: CurrentUser
) -> ExerciseRead:
    return _exercise_read(await programs.update_exercise(session, user, exercise_id, body))


@programs_router.post("/templates", status_code=status.HTTP_201_CREATED, response_model=TemplateRead)
async def create_template(body: TemplateCreate, session: SessionDep, user: CurrentUser) -> TemplateRead:
    return TemplateRead.model_validate(await programs.create_template(session, user, body))


@programs_router.get("/templates/{template_id}", response_model=TemplateRead)
async def get_template(template_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> TemplateRead:
    return TemplateRead.model_validate(await programs.get_template(session, user, template_id))


@programs_router.patch("/templates/{template_id}", response_model=TemplateRead)
async def update_template(
    template_id: uuid.UUID, body: TemplateUpdate, session: SessionDep, user: CurrentUser
) -> TemplateRead:
    return TemplateRead.model_validate(await programs.update_template(session, user, template_id, body))


@programs_router.post("/sessions", status_code=status.HTTP_201_CREATED, response_model=SessionRead)
async def schedule_session(body: SessionCreate, session: SessionDep, user: CurrentUser) -> SessionRead:
    """Plan a session from a template; each player's loads are personalised from their latest test results, and
    exercises their medical restrictions rule out are flagged with the reason."""
    return await programs.schedule_session(session, user, body)


@programs_router.get("/sessions/{session_id}", response_model=SessionRead)
async def get_session(session_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> SessionRead:
    return await programs.read_session(session, user, session_id)


@programs_router.post("/sessions/{session_id}/cancel", status_code=status.HTTP_204_NO_CONTENT)
async def cancel_session(
    session_id: uuid.UUID,
    session: SessionDep,
    user: CurrentUser,
    reason: Annotated[str | None, Body(embed=True, max_length=200)] = None,
) -> None:
    await programs.cancel_session(session, user, session_id, reason)


@programs_router.post("/sessions/{session_id}/players/{player_id}/start", status_code=status.HTTP_204_NO_CONTENT)
async def start(session_id: uuid.UUID, player_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> None:
    await programs.progress(session, user, session_id, player_id, "start", None)


@programs_router.post("/sessions/{session_id}/players/{player_id}/complete", status_code=status.HTTP_204_NO_CONTENT)
async def complete(
    session_id: uuid.UUID,
    player_id: uuid.UUID,
    session: SessionDep,
    user: CurrentUser,
    body: PerformedUpdate | None = None,
) -> None:
    await programs.progress(session, user, session_id, player_id, "complete", body.performed if body else None)


@programs_router.websocket("/sessions/{session_id}/live")
async def live(websocket: WebSocket, session_id: uuid.UUID, access_token: str = Query(...)) -> None:
    """Staff watch a session: first the current state of every player, then each start, completion and RPE log.
    Browsers cannot set headers on a WebSocket, so the access token comes as a query parameter."""
    settings = websocket.app.state.settings
    try:
        principal = verify_access_token(
            access_token,
            public_key_pem=settings.public_key_pem,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        )
        policies.ensure_staff(principal, "watch a live session")
        async with websocket.app.state.sessions() as db:
            snapshot = await programs.live_snapshot(db, principal, session_id)
    except HubError as exc:
        await websocket.close(code=4000 + exc.status_code, reason=exc.message[:120])
        return
    await websocket.accept()
    with live_sessions.listen(session_id) as updates:
        await websocket.send_json({"type": "snapshot", "players": snapshot})
        receiver = asyncio.create_task(websocket.receive_text())  # notices the client leaving
        try:
            while True:
                getter = asyncio.create_task(updates.get())
                done, _ = await asyncio.wait({getter, receiver}, return_when=asyncio.FIRST_COMPLETED)
                if receiver in done:
                    getter.cancel()
                    break
                await websocket.send_json({"type": "update", **getter.result()})
        except WebSocketDisconnect:
            pass
        finally:
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await receiver
