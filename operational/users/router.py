from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, Response, status

from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.pagination import PageDep
from operational.users import csv_io, guardians, privacy, service
from operational.users.schemas import (
    GuardianLinkCreate,
    GuardianLinkRead,
    ImportReport,
    InvitationCreate,
    InvitationRead,
    MembershipCreate,
    MembershipRead,
    MembershipUpdate,
    OrganizationRead,
    OrganizationUpdate,
    ProfileUpdate,
    Role,
    TeamCreate,
    TeamPage,
    TeamRead,
    TeamUpdate,
    UserAdminUpdate,
    UserPage,
    UserRead,
)

users_router = APIRouter(prefix="/api/v1/users", tags=["users"])
teams_router = APIRouter(prefix="/api/v1/teams", tags=["teams"])
orgs_router = APIRouter(prefix="/api/v1/orgs", tags=["organizations"])


def _user_read(user, memberships) -> UserRead:
    read = UserRead.model_validate(user)
    return read.model_copy(
        update={
            "memberships": [MembershipRead.model_validate(m) for m in memberships],
            "totp_enabled": user.totp_enabled_at is not None,
        }
    )


# --- me -------------------------------------------------------------------------------------------------------------
@users_router.get("/me", response_model=UserRead)
async def me(session: SessionDep, user: CurrentUser) -> UserRead:
    return _user_read(*await service.me(session, user))


@users_router.patch("/me", response_model=UserRead)
async def update_me(body: ProfileUpdate, session: SessionDep, user: CurrentUser) -> UserRead:
    """Change your own profile. Roles, club and ids are not yours to set: such fields are refused with 422."""
    await service.update_user(session, user, user.user_id, body)
    return _user_read(*await service.me(session, user))


@users_router.get("/me/export")
async def export_me(session: SessionDep, user: CurrentUser) -> dict:
    """Everything the users service holds about you, as JSON."""
    return await privacy.export_me(session, user)


@users_router.delete("/me", status_code=status.HTTP_204_NO_CONTENT)
async def erase_me(session: SessionDep, user: CurrentUser) -> None:
    """Erase your account: personal data is anonymized here and every other service is told to do the same."""
    await privacy.anonymize(session, user, user.user_id)


# --- members --------------------------------------------------------------------------------------------------------
@users_router.get("", response_model=UserPage)
async def list_users(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    team_id: uuid.UUID | None = None,
    role: Role | None = None,
    q: Annotated[str | None, Query(max_length=80, description="Part of a name or e-mail")] = None,
    include_inactive: bool = False,
) -> UserPage:
    users, memberships, total = await service.list_users(
        session, user, team_id=team_id, role=role, search=q, include_inactive=include_inactive, page=page
    )
    items = [_user_read(u, memberships.get(u.id, [])) for u in users]
    return UserPage(items=items, total=total, limit=page.limit, offset=page.offset)


@users_router.post("/invitations", status_code=status.HTTP_201_CREATED, response_model=InvitationRead)
async def invite(body: InvitationCreate, session: SessionDep, request: Request, user: CurrentUser) -> InvitationRead:
    """Invite someone by e-mail; they set their password with the one-time token (also delivered by comms)."""
    return await service.invite(session, request.app.state.settings, user, body)


@users_router.post("/import", response_model=ImportReport)
async def import_members(
    session: SessionDep,
    request: Request,
    user: CurrentUser,
    response: Response,
    csv_text: Annotated[str, Body(media_type="text/csv", description="UTF-8 CSV with a header row")],
    dry_run: bool = True,
) -> ImportReport:
    """Import members from CSV (columns: email, full_name, team, role, date_of_birth, position, jersey_number,
    org_roles, guardian_email). A dry run (the default) only reports; otherwise a file with any bad row imports
    nothing and answers 422 with every bad row."""
    report = await csv_io.import_members(session, request.app.state.settings, user, csv_text, dry_run=dry_run)
    if report.errors and not dry_run:
        response.status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    return report


@users_router.get("/export.csv", response_class=Response)
async def export_members(session: SessionDep, user: CurrentUser) -> Response:
    body = await csv_io.export_members(session, user)
    headers = {"Content-Disposition": 'attachment; filename="members.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@users_router.get("/{user_id}", response_model=UserRead)
async def get_user(user_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> UserRead:
    return _user_read(*await service.get_user(session, user, user_id))


@users_router.patch("/{user_id}", response_model=UserRead)
async def update_user(user_id: uuid.UUID, body: UserAdminUpdate, session: SessionDep, user: CurrentUser) -> UserRead:
    """Club admins change any member; a guardian changes their minor's profile fields."""
    admin_fields = {"date_of_birth", "org_roles"} & body.model_fields_set
    update = body if admin_fields else ProfileUpdate(**body.model_dump(exclude_unset=True))
    await service.update_user(session, user, user_id, update)
    return _user_read(*await service.get_user(session, user, user_id))


@users_router.post("/{user_id}/deactivate", response_model=UserRead)
async def deactivate(
    user_id: uuid.UUID,
    session: SessionDep,
    user: CurrentUser,
    reason: Annotated[str | None, Body(embed=True, max_length=200)] = None,
) -> UserRead:
    await service.deactivate_user(session, user, user_id, reason)
    return _user_read(*await service.get_user(session, user, user_id))


@users_router.post("/{user_id}/erase", status_code=status.HTTP_204_NO_CONTENT)
async def erase(user_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> None:
    await privacy.anonymize(session, user, user_id)


# --- guardians ------------------------------------------------------------------------------------------------------
@users_router.get("/{minor_id}/guardians", response_model=list[GuardianLinkRead])
async def list_guardians(minor_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> list[GuardianLinkRead]:
    return [GuardianLinkRead.model_validate(link) for link in await guardians.guardians_of(session, user, minor_id)]


@users_router.post("/{minor_id}/guardians", status_code=status.HTTP_201_CREATED, response_model=GuardianLinkRead)
async def link_guardian(
    minor_id: uuid.UUID, body: GuardianLinkCreate, session: SessionDep, user: CurrentUser
) -> GuardianLinkRead:
    return GuardianLinkRead.model_validate(await guardians.link(session, user, minor_id, body.guardian_id))


@users_router.delete("/guardian-links/{link_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unlink_guardian(link_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> None:
    await guardians.unlink(session, user, link_id)


@users_router.post("/guardian-links/{link_id}/consent", response_model=GuardianLinkRead)
async def consent_to_guardian(link_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> GuardianLinkRead:
    """The athlete agrees that this guardian keeps access after they turn 18."""
    return GuardianLinkRead.model_validate(await guardians.consent(session, user, link_id))


# --- teams ----------------------------------------------------------------------------------------------------------
@teams_router.get("", response_model=TeamPage)
async def list_teams(session: SessionDep, user: CurrentUser, page: PageDep) -> TeamPage:
    teams, total = await service.list_teams(session, user, limit=page.limit, offset=page.offset)
    return TeamPage(
        items=[TeamRead.model_validate(t) for t in teams], total=total, limit=page.limit, offset=page.offset
    )


@teams_router.post("", status_code=status.HTTP_201_CREATED, response_model=TeamRead)
async def create_team(body: TeamCreate, session: SessionDep, user: CurrentUser) -> TeamRead:
    return TeamRead.model_validate(await service.create_team_as(session, user, body))


@teams_router.get("/{team_id}", response_model=TeamRead)
async def get_team(team_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> TeamRead:
    return TeamRead.model_validate(await service.get_team(session, user, team_id))


@teams_router.patch("/{team_id}", response_model=TeamRead)
async def update_team(team_id: uuid.UUID, body: TeamUpdate, session: SessionDep, user: CurrentUser) -> TeamRead:
    return TeamRead.model_validate(await service.update_team(session, user, team_id, body))


@teams_router.get("/{team_id}/members", response_model=UserPage)
async def team_members(team_id: uuid.UUID, session: SessionDep, user: CurrentUser, page: PageDep) -> UserPage:
    users, memberships, total = await service.list_users(
        session, user, team_id=team_id, role=None, search=None, include_inactive=False, page=page
    )
    items = [_user_read(u, memberships.get(u.id, [])) for u in users]
    return UserPage(items=items, total=total, limit=page.limit, offset=page.offset)


@teams_router.post("/{team_id}/members", status_code=status.HTTP_201_CREATED, response_model=MembershipRead)
async def add_member(
    team_id: uuid.UUID, body: MembershipCreate, session: SessionDep, user: CurrentUser
) -> MembershipRead:
    return MembershipRead.model_validate(await service.add_member(session, user, team_id, body))


@teams_router.patch("/{team_id}/members/{membership_id}", response_model=MembershipRead)
async def change_member_role(
    team_id: uuid.UUID, membership_id: uuid.UUID, body: MembershipUpdate, session: SessionDep, user: CurrentUser
) -> MembershipRead:
    membership = await service.change_member_role(session, user, team_id, membership_id, body.role)
    return MembershipRead.model_validate(membership)


@teams_router.delete("/{team_id}/members/{membership_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(team_id: uuid.UUID, membership_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> None:
    await service.remove_member(session, user, team_id, membership_id)


# --- the club -------------------------------------------------------------------------------------------------------
@orgs_router.get("/current", response_model=OrganizationRead)
async def current_org(session: SessionDep, user: CurrentUser) -> OrganizationRead:
    return OrganizationRead.model_validate(await service.current_organization(session, user))


@orgs_router.patch("/current", response_model=OrganizationRead)
async def update_org(body: OrganizationUpdate, session: SessionDep, user: CurrentUser) -> OrganizationRead:
    """Club admins: name, time zone, language, and the roles that must sign in with a second factor."""
    return OrganizationRead.model_validate(await service.update_organization(session, user, body))
