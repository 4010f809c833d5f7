from __future__ import annotations

from fastapi import APIRouter, Request

from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.users import service
from operational.users.schemas import LoginRequest, MembershipRead, TokenPair, UserRead

auth_router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
users_router = APIRouter(prefix="/api/v1/users", tags=["users"])


@auth_router.post("/login", response_model=TokenPair)
async def login(body: LoginRequest, session: SessionDep, request: Request) -> TokenPair:
    """Exchange e-mail and password for an access token (Bearer, 15 minutes)."""
    return await service.login(session, request.app.state.settings, body.email, body.password)


@users_router.get("/me", response_model=UserRead)
async def me(session: SessionDep, user: CurrentUser) -> UserRead:
    account, memberships = await service.me(session, user)
    read = UserRead.model_validate(account)
    return read.model_copy(update={"memberships": [MembershipRead.model_validate(m) for m in memberships]})
