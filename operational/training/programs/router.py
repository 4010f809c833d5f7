"""Exercise library, templates, planned sessions and the live session channel. Every id in a path or query is
resolved by a loader (loaders.py); the live channel uses the same one as reading the session."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Query, WebSocket, WebSocketDisconnect, status

from operational.kit.auth import CurrentUser, verify_access_token
from operational.kit.db import SessionDep
from operational.kit.errors import HubError
from operational.kit.pagination import DateRangeDep, PageDep
from operational.training import live as live_updates
from operational.training.loaders import (
    EditableExercise,
    EditableTemplate,
    ExerciseInPath,
    OverseenSession,
    PlayerFilter,
    ReadableSession,
    TeamFilter,
    TemplateInPath,
    exercise_loader,
    overseen_session,
)
from operational.training.programs import service
from operational.training.programs.schemas import (
    ExerciseCategory,
    ExerciseCreate,
    ExercisePage,
    ExerciseRead,
    ExerciseUpdate,
    PerformedUpdate,
    SessionCreate,
    SessionPage,
    SessionRead,
    TemplateCreate,
    TemplatePage,
    TemplateRead,
    TemplateUpdate,
)

programs_router = APIRouter(prefix="/api/v1/training", tags=["training programs"])

ExerciseFilter = exercise_loader.from_query("exercise_id", "Only templates that use this exercise")
Search = Annotated[str | None, Query(max_length=80, description="Part of the name")]


def _exercise_read(exercise) -> ExerciseRead:
    return ExerciseRead.model_validate(exercise).model_copy(update={"predefined": exercise.org_id is None})


# --- exercises ------------------------------------------------------------------------------------------------------
@programs_router.get("/exercises", response_model=ExercisePage)
async def list_exercises(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    category: ExerciseCategory | None = None,
    muscle_group: Annotated[str | None, Query(max_length=40)] = None,
    q: Search = None,
    predefined: Annotated[
        bool | None, Query(description="Only the predefined library (true) or the club's own")
    ] = None,
) -> ExercisePage:
    """The predefined library (120 exercises: on-ice, strength, power, conditioning, agility, mobility, core) and the
    club's own."""
    items, total = await service.list_exercises(
        session, user, page, category=category, search=q, muscle_group=muscle_group, predefined=predefined
    )
    return ExercisePage.of(items, total, page, convert=_exercise_read)


@programs_router.post("/exercises", status_code=status.HTTP_201_CREATED, response_model=ExerciseRead)
async def create_exercise(body: ExerciseCreate, session: SessionDep, user: CurrentUser) -> ExerciseRead:
    """Staff: an exercise of the club's own, beside the predefined library."""
    return _exercise_read(await service.create_exercise(session, user, body))


@programs_router.get("/exercises/{exercise_id}", response_model=ExerciseRead)
async def get_exercise(exercise: ExerciseInPath) -> ExerciseRead:
    """One exercise of the predefined library or of the club."""
    return _exercise_read(exercise)


@programs_router.patch("/exercises/{exercise_id}", response_model=ExerciseRead)
async def update_exercise(
    exercise: EditableExercise, body: ExerciseUpdate, session: SessionDep, user: CurrentUser
) -> ExerciseRead:
    """Staff: change one of the club's own exercises (predefined ones cannot be changed)."""
    return _exercise_read(await service.update_exercise(session, user, exercise, body))


# --- templates ------------------------------------------------------------------------------------------------------
@programs_router.get("/templates", response_model=TemplatePage)
async def list_templates(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    dates: DateRangeDep,
    exercise: ExerciseFilter,
    team: TeamFilter,
    q: Search = None,
) -> TemplatePage:
    """The club's workout templates by name. Filter by part of the name, an exercise they use, a team whose sessions
    were planned from them, and the days they last changed (``from``/``to``)."""
    items, total = await service.list_templates(
        session, user, page, search=q, exercise=exercise, team=team, dates=dates
    )
    return TemplatePage.of(items, total, page)


@programs_router.post("/templates", status_code=status.HTTP_201_CREATED, response_model=TemplateRead)
async def create_template(body: TemplateCreate, session: SessionDep, user: CurrentUser) -> TemplateRead:
    """Staff: a workout template of blocks of exercises (sets, reps or time, rest, load in kg or % of a tested max)."""
    return TemplateRead.model_validate(await service.create_template(session, user, body))


@programs_router.get("/templates/{template_id}", response_model=TemplateRead)
async def get_template(template: TemplateInPath) -> TemplateRead:
    """One workout template of the club."""
    return TemplateRead.model_validate(template)


@programs_router.patch("/templates/{template_id}", response_model=TemplateRead)
async def update_template(
    template: EditableTemplate, body: TemplateUpdate, session: SessionDep, user: CurrentUser
) -> TemplateRead:
    """Staff: change a workout template; sessions already planned keep what they were given."""
    return TemplateRead.model_validate(await service.update_template(session, user, template, body))


# --- sessions -------------------------------------------------------------------------------------------------------
@programs_router.get("/sessions", response_model=SessionPage)
async def list_sessions(
    session: SessionDep, user: CurrentUser, page: PageDep, dates: DateRangeDep, team: TeamFilter, player: PlayerFilter
) -> SessionPage:
    """The sessions you plan or oversee, and those you (or your minor) train in, by start. ``from``/``to`` are the
    club's days."""
    items, total = await service.list_sessions(session, user, page, team=team, player=player, dates=dates)
    return SessionPage.of(items, total, page, convert=service.summary)


@programs_router.post("/sessions", status_code=status.HTTP_201_CREATED, response_model=SessionRead)
async def schedule_session(body: SessionCreate, session: SessionDep, user: CurrentUser) -> SessionRead:
    """Plan a session from a template for a team (its whole roster, or the players listed) or for players of the
    teams you coach; each player's loads are personalised from their latest test results, and exercises their
    medical restrictions rule out are flagged with the reason."""
    return await service.schedule_session(session, user, body)


@programs_router.get("/sessions/{session_id}", response_model=SessionRead)
async def get_session(view: ReadableSession, session: SessionDep, user: CurrentUser) -> SessionRead:
    """Those who oversee the session see every assignment; a player (or their guardian) their own."""
    return await service.read_session(session, user, view)


@programs_router.post("/sessions/{session_id}/cancel", status_code=status.HTTP_204_NO_CONTENT)
async def cancel_session(
    view: OverseenSession,
    session: SessionDep,
    user: CurrentUser,
    reason: Annotated[str | None, Body(embed=True, max_length=200)] = None,
) -> None:
    """Cancel a planned session (who planned it, its team's staff, club admins); the calendar follows."""
    await service.cancel_session(session, user, view, reason)


@programs_router.post("/sessions/{session_id}/players/{player_id}/start", status_code=status.HTTP_204_NO_CONTENT)
async def start(view: ReadableSession, player_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> None:
    """Mark a player's part started: the player, their guardian, or the session's team staff, once it has begun."""
    await service.progress(session, user, view, player_id, "start", None)


@programs_router.post("/sessions/{session_id}/players/{player_id}/complete", status_code=status.HTTP_204_NO_CONTENT)
async def complete(
    view: ReadableSession,
    player_id: uuid.UUID,
    session: SessionDep,
    user: CurrentUser,
    body: PerformedUpdate | None = None,
) -> None:
    """Mark a player's part of a session done, with what they did when it differs from the plan (the player, their
    guardian, or the team's staff; once it has begun)."""
    await service.progress(session, user, view, player_id, "complete", body.performed if body else None)


@programs_router.websocket("/sessions/{session_id}/live")
async def live(websocket: WebSocket, session_id: uuid.UUID, access_token: str = Query(...)) -> None:
    """Those who oversee a session watch it: first the current state of every player, then each start, completion
    and RPE log. Browsers cannot set headers on a WebSocket, so the access token comes as a query parameter."""
    settings = websocket.app.state.settings
    # listening starts before the snapshot is read, so no update can fall between the two
    with live_updates.listen(websocket.app, session_id) as updates:
        try:
            principal = verify_access_token(
                access_token,
                public_key_pem=settings.public_key_pem,
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
            )
            async with websocket.app.state.sessions() as db:
                view = await overseen_session.load(db, principal, session_id)
                snapshot = await service.live_snapshot(db, principal, view)
        except HubError as exc:
            await websocket.close(code=4000 + exc.status_code, reason=exc.message[:120])
            return
        await websocket.accept()
        await websocket.send_json({"type": "snapshot", "players": snapshot})
        await _forward(websocket, updates)


async def _forward(websocket: WebSocket, updates: asyncio.Queue) -> None:
    """Send each update until the client leaves."""
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
