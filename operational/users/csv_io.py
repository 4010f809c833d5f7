"""Members in and out as CSV (the file handling itself is :mod:`spreadsheet`'s).

Import is all or nothing: every row is checked first (types, duplicates within the file and against the club, teams,
guardians), and a file with any error imports nothing and is answered 422 with each bad row in ``error.details``.
A dry run reports without importing. Everyone created is invited: the report carries each one's link (shown once).
A person may have several rows, one per team (as the export writes them), as long as the rows do not disagree.

``mode=create`` (the default) refuses rows whose e-mail the club already has; ``mode=upsert`` updates those people
instead (a new season's roster): a filled cell replaces the value, a blank one keeps it, a team and role add the
membership if it is missing, a guardian is linked if not yet. Memberships are never removed by an import.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, field_validator
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import HubError
from operational.kit.schemas import Day, SingleLine
from operational.users import events, invitations, policies, repository, service, spreadsheet
from operational.users.config import UsersSettings
from operational.users.models import GuardianLink, User, outbox, private_outbox
from operational.users.schemas import ImportedInvitation, ImportReport, ImportRowError, OrgRole, TeamRole

COLUMNS = (
    "email",
    "full_name",
    "team",
    "role",
    "date_of_birth",
    "position",
    "jersey_number",
    "org_roles",
    "guardian_email",
)
REQUIRED_COLUMNS = ("email", "full_name")
PROFILE_COLUMNS = ("full_name", "date_of_birth", "position", "jersey_number", "org_roles")
MAX_ROWS = 5000
ImportMode = Literal["create", "upsert"]


class ImportRejected(HubError):
    code = "invalid_rows"


class ImportRow(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    email: EmailStr
    full_name: SingleLine | None = Field(None, min_length=1, max_length=120)
    team: SingleLine | None = Field(None, max_length=80)
    role: TeamRole | None = None
    date_of_birth: Day | None = None
    position: SingleLine | None = Field(None, max_length=40)
    jersey_number: int | None = Field(None, ge=0, le=99)
    org_roles: list[OrgRole] | None = None
    guardian_email: EmailStr | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_missing(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("org_roles", mode="before")
    @classmethod
    def _split_roles(cls, value):
        return [part.strip() for part in value.split(";") if part.strip()] if isinstance(value, str) else value

    def profile(self) -> dict:
        """The profile values the row fills in (blank cells left out)."""
        return {name: value for name in PROFILE_COLUMNS if (value := getattr(self, name)) is not None}


@dataclass
class _Plan:
    """What the import does, row by row."""

    errors: list[ImportRowError] = field(default_factory=list)
    existing: dict[str, User] = field(default_factory=dict)  # e-mail → the club's account
    teams: dict[str, object] = field(default_factory=dict)  # name → Team or None
    updated: int = 0
    unchanged: int = 0

    def error(self, line: int, column: str | None, message: str) -> None:
        self.errors.append(ImportRowError(row=line, field=column, message=message))


def parse(text: str) -> tuple[list[tuple[int, ImportRow]], list[ImportRowError], int]:
    """(valid rows with their line numbers, errors, number of data rows)."""
    header, records = spreadsheet.read_records(text, spreadsheet.sniff_delimiter(text))
    header = [name.strip() for name in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise HubError(
            f"The header must name the columns {', '.join(REQUIRED_COLUMNS)}; missing: {', '.join(missing)}."
        )
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise HubError(f"Unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}.")
    rows, errors, count = [], [], 0
    for record in records:
        if not any(value.strip() for value in record.values):
            continue  # an empty line, as spreadsheets leave at the end
        count += 1
        if count > MAX_ROWS:
            raise HubError(f"At most {MAX_ROWS} rows per file; split it.")
        if len(record.values) > len(header):
            errors.append(ImportRowError(row=record.line, field=None, message="More values than columns."))
            continue
        raw = {name: spreadsheet.restore(value) for name, value in zip(header, record.values, strict=False)}
        try:
            row = ImportRow.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                column = ".".join(str(p) for p in err["loc"]) or None
                errors.append(ImportRowError(row=record.line, field=column, message=f"{column}: {err['msg']}"))
            continue
        rows.append((record.line, row))
    return rows, errors, count


async def import_members(
    session: AsyncSession,
    settings: UsersSettings,
    principal: Principal,
    upload: spreadsheet.Upload,
    *,
    dry_run: bool,
    mode: ImportMode,
) -> ImportReport:
    policies.ensure_admin(principal, "import members")
    rows, errors, count = parse(spreadsheet.decode(upload.content, upload.charset))
    plan = await _check_against_club(session, principal, rows, mode)
    plan.errors = sorted(errors + plan.errors, key=lambda e: e.row)
    bad_lines = {e.row for e in plan.errors}
    valid = len({line for line, _ in rows} - bad_lines)
    if plan.errors and not dry_run:
        raise ImportRejected(
            f"{len(bad_lines)} row(s) have problems, so nothing was imported; fix them and send the file again.",
            details=[e.model_dump() | {"code": "invalid_value"} for e in plan.errors],
        )
    created = len({row.email.lower() for _, row in rows} - plan.existing.keys())
    report = ImportReport(
        dry_run=dry_run,
        mode=mode,
        rows=count,
        valid_rows=valid,
        imported=0,
        created=created,
        updated=plan.updated,
        unchanged=plan.unchanged,
        errors=plan.errors,
    )
    if dry_run:
        return report
    report.invitations = await _apply(session, settings, principal, rows, plan)
    report.imported = report.created + report.updated
    return report


async def _check_against_club(session: AsyncSession, principal: Principal, rows, mode: ImportMode) -> _Plan:
    plan = _Plan()
    emails = [r.email for _, r in rows] + [r.guardian_email for _, r in rows if r.guardian_email]
    plan.existing = await repository.users_by_emails(session, principal.org_id, emails)
    in_file = {r.email.lower() for _, r in rows}
    first: dict[str, tuple[int, ImportRow]] = {}
    for line, row in rows:
        email = row.email.lower()
        known = plan.existing.get(email)
        if email in first:
            _check_repeat(plan, line, row, *first[email])
        else:
            first[email] = (line, row)
            if known is None and row.full_name is None:
                plan.error(line, "full_name", "A new member needs a full name.")
            if known is not None and mode == "create":
                plan.error(line, "email", "Someone in your club already has this e-mail; import with mode=upsert.")
            elif known is not None and not known.is_active:
                plan.error(line, "email", f"{known.full_name}'s account is deactivated; leave this row out.")
        if (row.team is None) != (row.role is None):
            plan.error(line, "role", "Give both a team and a role, or neither.")
        if row.team is not None:
            if row.team not in plan.teams:
                plan.teams[row.team] = await repository.get_team_by_name(session, principal.org_id, row.team)
            if plan.teams[row.team] is None:
                plan.error(line, "team", f"The club has no team '{row.team}'.")
        if row.guardian_email is not None:
            _check_guardian(plan, line, row, known, in_file)
    if mode == "upsert":
        for email in first.keys() & plan.existing.keys():
            known = plan.existing[email]
            if not known.is_active:
                continue
            if any([await _changes_for(session, known, row, plan) for _, row in rows if row.email.lower() == email]):
                plan.updated += 1
            else:
                plan.unchanged += 1
    return plan


def _check_repeat(plan: _Plan, line: int, row: ImportRow, first_line: int, first_row: ImportRow) -> None:
    """A second row of the same person may add a team; it may not say something else about them."""
    before = first_row.profile() | {"guardian_email": first_row.guardian_email}
    after = row.profile() | {"guardian_email": row.guardian_email}
    differing = [name for name, value in after.items() if value is not None and before.get(name) not in (None, value)]
    if differing:
        plan.error(line, differing[0], f"Same e-mail as row {first_line}, with another {differing[0]}.")


def _check_guardian(plan: _Plan, line: int, row: ImportRow, known: User | None, in_file: set[str]) -> None:
    guardian_email = row.guardian_email.lower()
    guardian = plan.existing.get(guardian_email)
    if guardian_email == row.email.lower():
        plan.error(line, "guardian_email", "A person cannot be their own guardian.")
    elif guardian_email not in in_file and (guardian is None or not guardian.is_active):
        plan.error(line, "guardian_email", "No such guardian in the club or the file.")
    if (row.date_of_birth or (known.date_of_birth if known else None)) is None:
        plan.error(line, "date_of_birth", "A minor with a guardian needs a date of birth.")


async def _changes_for(session: AsyncSession, user: User, row: ImportRow, plan: _Plan) -> bool:
    """Whether the row changes anything about an existing member."""
    if any(getattr(user, name) != value for name, value in row.profile().items()):
        return True
    team = plan.teams.get(row.team) if row.team else None
    if team is not None and not await repository.find_membership(session, user.id, team.id, row.role):
        return True
    if row.guardian_email is not None:
        guardian = plan.existing.get(row.guardian_email.lower())
        links = await repository.active_guardian_links(session, minor_id=user.id)
        if guardian is None or guardian.id not in {link.guardian_id for link in links}:
            return True
    return False


async def _apply(
    session: AsyncSession, settings: UsersSettings, principal: Principal, rows, plan: _Plan
) -> list[ImportedInvitation]:
    people: dict[str, User] = dict(plan.existing)
    sent = []
    for line, row in rows:
        email = row.email.lower()
        user = people.get(email)
        if user is None:
            user = await service.create_user(
                session, settings, principal.org_id, email=row.email, full_name=row.full_name, password=None,
                org_roles=list(row.org_roles or []), date_of_birth=row.date_of_birth, position=row.position,
                jersey_number=row.jersey_number, actor=principal,
            )  # fmt: skip
            people[email] = user
            invitation = await invitations.issue(session, settings, user, principal.user_id)
            sent.append(ImportedInvitation(row=line, email=user.email, **invitation.model_dump()))
        else:
            await _update_profile(session, principal, user, row)
        team = plan.teams.get(row.team) if row.team else None
        if team is not None and not await repository.find_membership(session, user.id, team.id, row.role):
            await service.add_membership(session, user, team, row.role, actor=principal)
    for _, row in rows:
        if row.guardian_email is not None:
            await _link_guardian(session, principal, people[row.guardian_email.lower()], people[row.email.lower()])
    return sent


async def _update_profile(session: AsyncSession, principal: Principal, user: User, row: ImportRow) -> None:
    changes = {name: value for name, value in row.profile().items() if getattr(user, name) != value}
    if not changes:
        return
    for name, value in changes.items():
        setattr(user, name, value)
    await outbox.record(session, events.user_updated(user, sorted(changes), actor_id=principal.user_id))
    if service.CONTACT_FIELDS.intersection(changes):
        await private_outbox.record(session, events.contact_changed(user))


async def _link_guardian(session: AsyncSession, principal: Principal, guardian: User, minor: User) -> None:
    if any(
        link.guardian_id == guardian.id for link in await repository.active_guardian_links(session, minor_id=minor.id)
    ):
        return
    link = await repository.add(
        session, GuardianLink(id=uuid.uuid4(), org_id=principal.org_id, guardian_id=guardian.id, minor_id=minor.id)
    )
    await outbox.record(session, events.guardian_linked(link, actor_id=principal.user_id))


async def export_members(session: AsyncSession, principal: Principal, *, delimiter: str = ",") -> bytes:
    """Every member with each team they are in, in the import's columns (so the file can be imported again)."""
    policies.ensure_admin(principal, "export members")
    rows = [
        [
            user.email,
            user.full_name,
            team.name if team else "",
            membership.role if membership else "",
            user.date_of_birth.isoformat() if user.date_of_birth else "",
            user.position or "",
            "" if user.jersey_number is None else user.jersey_number,
            ";".join(user.org_roles),
            "",
        ]
        for user, membership, team in await repository.all_members(session, principal.org_id)
    ]
    return spreadsheet.write(COLUMNS, rows, delimiter=delimiter)
