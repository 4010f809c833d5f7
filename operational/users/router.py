from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Query, Request, Response, status

from operational.kit.auth import CurrentUser, bind_local_revocations
from operational.kit.db import SessionDep
from operational.kit.pagination import DateRangeDep, PageDep
from operational.users import csv_io, guardians, invitations, policies, privacy, service, spreadsheet
from operational.users.config import users_settings
from operational.users.schemas import (
    GuardianLinkCreate,
    GuardianLinkRead,
    ImportReport,
    InvitationCreate,
    InvitationPage,
    InvitationRead,
    InvitationStatus,
    MembershipCreate,
    MembershipRead,
    MembershipUpdate,
    OrganizationRead,
    OrganizationUpdate,
    PersonRead,
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

# deactivating and erasing someone ends their sessions, from the very next request in this process
users_router = APIRouter(prefix="/api/v1/users", tags=["users"], dependencies=[Depends(bind_local_revocations)])
teams_router = APIRouter(prefix="/api/v1/teams", tags=["teams"])
orgs_router = APIRouter(prefix="/api/v1/orgs", tags=["organizations"])


# Path ids resolved by the loaders: another club's id is 404, one the caller may not see 403.
VisibleTeam = policies.team_loader.from_path("team_id")
VisiblePerson = policies.person_loader.from_path("user_id")
VisibleMinor = policies.person_loader.from_path("minor_id")
Search = Annotated[str | None, Query(min_length=1, max_length=80, description="Part of a name (admins: or e-mail)")]

_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "The CSV file: as the body (text/csv) or as the one file of a form. UTF-8 (with or without a "
        "byte-order mark) or Windows-1252; comma, semicolon or tab separated.",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
            },
        },
    }
}


# --- me -------------------------------------------------------------------------------------------------------------
@users_router.get("/me", response_model=UserRead)
async def me(session: SessionDep, user: CurrentUser) -> UserRead:
    """Your own account: profile, roles, teams and whether a second factor is on."""
    return await service.me(session, user)


@users_router.patch("/me", response_model=UserRead)
async def update_me(body: ProfileUpdate, session: SessionDep, user: CurrentUser) -> UserRead:
    """Change your own profile. Roles, club and ids are not yours to set: such fields are refused with 422."""
    person = await policies.editable_person_loader.load(session, user, user.user_id)
    await service.update_user(session, user, person, body)
    return await service.me(session, user)


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
    role: Annotated[Role | None, Query(description="A role in a team or in the club")] = None,
    q: Search = None,
    active: Annotated[
        bool | None, Query(description="true: active accounts (invited people included); false: deactivated ones")
    ] = None,
    include_inactive: Annotated[bool, Query(description="Club admins: deactivated accounts too")] = False,
) -> UserPage:
    """The people you may see. Staff, the person and their guardian get the full view (`view: full`); teammates see
    the directory view (`view: directory`): name, position, number and the teams you share."""
    items, total = await service.list_users(
        session, user, page, team_id=team_id, role=role, search=q, active=active, include_inactive=include_inactive
    )
    return UserPage.of(items, total, page, convert=lambda item: item)


@users_router.post("/invitations", status_code=status.HTTP_201_CREATED, response_model=InvitationRead)
async def invite(body: InvitationCreate, session: SessionDep, request: Request, user: CurrentUser) -> InvitationRead:
    """Invite someone by e-mail; they set their password with the one-time link (delivered by comms, and shown here
    once so it can be passed on by hand)."""
    return await service.invite(session, users_settings(request), user, body)


@users_router.get("/invitations", response_model=InvitationPage)
async def list_invitations(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    dates: DateRangeDep,
    status_: Annotated[InvitationStatus | None, Query(alias="status")] = None,
    team_id: uuid.UUID | None = None,
    q: Annotated[str | None, Query(min_length=1, max_length=80, description="Part of a name or e-mail")] = None,
) -> InvitationPage:
    """Club admins: where each invited person's most recent invitation stands, newest first (`from`/`to`: the day
    it was sent, in the club's time zone)."""
    items, total = await invitations.list_invitations(
        session, user, page, status=status_, team_id=team_id, search=q, dates=dates
    )
    return InvitationPage.of(items, total, page, convert=lambda item: item)


@users_router.post("/import", response_model=ImportReport, openapi_extra=_IMPORT_BODY)
async def import_members(
    session: SessionDep,
    request: Request,
    user: CurrentUser,
    dry_run: Annotated[bool, Query(description="Only check and report (the default)")] = True,
    mode: Annotated[
        Literal["create", "upsert"], Query(description="upsert: update members the club already has")
    ] = "create",
) -> ImportReport:
    """Import members from CSV (columns: email, full_name, team, role, date_of_birth, position, jersey_number,
    org_roles, guardian_email). A dry run (the default) only reports; otherwise a file with any bad row imports
    nothing and is answered 422 with every bad row in `error.details`. Each person created gets an invitation,
    returned once in `invitations`."""
    upload = await spreadsheet.read_upload(request)
    return await csv_io.import_members(session, users_settings(request), user, upload, dry_run=dry_run, mode=mode)


@users_router.get("/export.csv", response_class=Response)
async def export_members(
    session: SessionDep,
    user: CurrentUser,
    delimiter: Annotated[
        Literal["comma", "semicolon", "tab"], Query(description="semicolon: for Excel set to Swedish, German …")
    ] = "comma",
) -> Response:
    """Every member, one row per team, in the import's columns; UTF-8 with a byte-order mark, for Excel."""
    body = await csv_io.export_members(session, user, delimiter=spreadsheet.DELIMITERS[delimiter])
    headers = {"Content-Disposition": 'attachment; filename="members.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@users_router.get("/{user_id}", response_model=PersonRead)
async def get_user(person: VisiblePerson, session: SessionDep, user: CurrentUser) -> PersonRead:
    """One person, in the view you are entitled to: full for staff of their team, themself and their guardian; the
    directory view for teammates."""
    return await service.read_person(session, user, person)


@users_router.patch("/{user_id}", response_model=UserRead)
async def update_user(person: VisiblePerson, body: UserAdminUpdate, session: SessionDep, user: CurrentUser) -> UserRead:
    """Club admins change any member; the person and their guardian change the profile fields."""
    await service.update_user(session, user, person, body)
    return await service.read_person(session, user, person)


@users_router.post("/{user_id}/deactivate", response_model=UserRead)
async def deactivate(
    person: VisiblePerson,
    session: SessionDep,
    user: CurrentUser,
    reason: Annotated[str | None, Body(embed=True, max_length=200)] = None,
) -> UserRead:
    """Club admins: the person can no longer sign in, and their current sessions end at once."""
    await service.deactivate_user(session, user, person, reason)
    return await service.read_person(session, user, person)


@users_router.post("/{user_id}/invitation", status_code=status.HTTP_201_CREATED, response_model=InvitationRead)
async def resend_invitation(
    person: VisiblePerson, session: SessionDep, request: Request, user: CurrentUser
) -> InvitationRead:
    """Club admins: a new invitation link for someone who has not set a password yet; the previous link stops
    working."""
    return await invitations.resend(session, users_settings(request), user, person)


@users_router.post("/{user_id}/erase", status_code=status.HTTP_204_NO_CONTENT)
async def erase(user_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> None:
    """Club admins: erase a member's personal data here and in every other service (keeps their anonymous history)."""
    await privacy.anonymize(session, user, user_id)


# --- guardians ------------------------------------------------------------------------------------------------------
@users_router.get("/{minor_id}/guardians", response_model=list[GuardianLinkRead])
async def list_guardians(minor: VisibleMinor, session: SessionDep, user: CurrentUser) -> list[GuardianLinkRead]:
    """Who acts for this minor: the athlete, their guardians and club admins may see it."""
    return [GuardianLinkRead.model_validate(link) for link in await guardians.guardians_of(session, user, minor)]


@users_router.post("/{minor_id}/guardians", status_code=status.HTTP_201_CREATED, response_model=GuardianLinkRead)
async def link_guardian(
    minor: VisibleMinor, body: GuardianLinkCreate, session: SessionDep, user: CurrentUser
) -> GuardianLinkRead:
    """Club admins: let a member act for a minor until the athlete turns 18 (or consents to keep the link)."""
    return GuardianLinkRead.model_validate(await guardians.link(session, user, minor.id, body.guardian_id))


@users_router.delete("/guardian-links/{link_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unlink_guardian(link_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> None:
    """Club admins: end a guardian link; the guardian loses access to the athlete at once."""
    await guardians.unlink(session, user, link_id)


@users_router.post("/guardian-links/{link_id}/consent", response_model=GuardianLinkRead)
async def consent_to_guardian(link_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> GuardianLinkRead:
    """The athlete agrees that this guardian keeps access after they turn 18."""
    return GuardianLinkRead.model_validate(await guardians.consent(session, user, link_id))


# --- teams ----------------------------------------------------------------------------------------------------------
@teams_router.get("", response_model=TeamPage)
async def list_teams(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    q: Annotated[str | None, Query(min_length=1, max_length=80, description="Part of the team's name")] = None,
    season: Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2,4})?$", description="e.g. 2026-27")] = None,
    age_group: Annotated[str | None, Query(max_length=20, description="e.g. U16")] = None,
) -> TeamPage:
    """The teams you may see (club admins: every team of the club), by name."""
    teams, total = await service.list_teams(session, user, page, search=q, season=season, age_group=age_group)
    return TeamPage.of(teams, total, page)


@teams_router.post("", status_code=status.HTTP_201_CREATED, response_model=TeamRead)
async def create_team(body: TeamCreate, session: SessionDep, user: CurrentUser) -> TeamRead:
    """Club admins: a new team (name, season, age group, level)."""
    return TeamRead.model_validate(await service.create_team_as(session, user, body))


@teams_router.get("/{team_id}", response_model=TeamRead)
async def get_team(team: VisibleTeam) -> TeamRead:
    """One team you belong to (club admins: any team of the club)."""
    return TeamRead.model_validate(team)


@teams_router.patch("/{team_id}", response_model=TeamRead)
async def update_team(team: VisibleTeam, body: TeamUpdate, session: SessionDep, user: CurrentUser) -> TeamRead:
    """Club admins: change a team's name, season, age group or level."""
    return TeamRead.model_validate(await service.update_team(session, user, team, body))


@teams_router.get("/{team_id}/members", response_model=UserPage)
async def team_members(
    team: VisibleTeam,
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    role: Annotated[Role | None, Query(description="A role in this team")] = None,
    q: Search = None,
) -> UserPage:
    """The team's roster, in the view you are entitled to (`role` and `q` to filter)."""
    items, total = await service.list_users(session, user, page, team_id=team.id, role=role, search=q, active=True)
    return UserPage.of(items, total, page, convert=lambda item: item)


@teams_router.post("/{team_id}/members", status_code=status.HTTP_201_CREATED, response_model=MembershipRead)
async def add_member(
    team: VisibleTeam, body: MembershipCreate, session: SessionDep, user: CurrentUser
) -> MembershipRead:
    """Club admins put a member of the club into this team. (Coaches invite new people instead.)"""
    return MembershipRead.model_validate(await service.add_member(session, user, team, body))


@teams_router.patch("/{team_id}/members/{membership_id}", response_model=MembershipRead)
async def change_member_role(
    team: VisibleTeam, membership_id: uuid.UUID, body: MembershipUpdate, session: SessionDep, user: CurrentUser
) -> MembershipRead:
    """Change the role someone has in this team (club admins; a team's coach for players and parents)."""
    return MembershipRead.model_validate(
        await service.change_member_role(session, user, team, membership_id, body.role)
    )


@teams_router.delete("/{team_id}/members/{membership_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(team: VisibleTeam, membership_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> None:
    """Take someone off this team (club admins; a team's coach for players and parents)."""
    await service.remove_member(session, user, team, membership_id)


# --- the club -------------------------------------------------------------------------------------------------------
@orgs_router.get("/current", response_model=OrganizationRead)
async def current_org(session: SessionDep, user: CurrentUser) -> OrganizationRead:
    """Your club: name, time zone, language and which roles must use a second factor."""
    return OrganizationRead.model_validate(await service.current_organization(session, user))


@orgs_router.patch("/current", response_model=OrganizationRead)
async def update_org(body: OrganizationUpdate, session: SessionDep, user: CurrentUser) -> OrganizationRead:
    """Club admins: name, time zone, language, and the roles that must sign in with a second factor."""
    return OrganizationRead.model_validate(await service.update_organization(session, user, body))
