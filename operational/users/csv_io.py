"""Members in and out as CSV.

Import is all or nothing: every row is checked first (types, duplicates within the file and against the club, teams,
guardians), and a file with any error imports nothing and reports each bad row. A dry run reports without importing.
Imported people are invited: they set their own password from the invitation.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, field_validator
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import HubError
from operational.users import auth_service, events, policies, repository, service
from operational.users.config import UsersSettings
from operational.users.models import GuardianLink, outbox
from operational.users.schemas import ImportReport, ImportRowError, OrgRole, TeamRole

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
MAX_ROWS = 5000
MAX_BYTES = 2_000_000


class ImportRow(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    email: EmailStr
    full_name: str = Field(min_length=1, max_length=120)
    team: str | None = None
    role: TeamRole | None = None
    date_of_birth: date | None = None
    position: str | None = Field(None, max_length=40)
    jersey_number: int | None = Field(None, ge=0, le=99)
    org_roles: list[OrgRole] = Field(default_factory=list)
    guardian_email: EmailStr | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_missing(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("org_roles", mode="before")
    @classmethod
    def _split_roles(cls, value):
        if value is None:
            return []
        return [part.strip() for part in str(value).split(";") if part.strip()] if isinstance(value, str) else value


def parse(text: str) -> tuple[list[tuple[int, ImportRow]], list[ImportRowError], int]:
    """(valid rows with their line numbers, errors, number of data rows)."""
    if len(text.encode()) > MAX_BYTES:
        raise HubError(f"The file is larger than {MAX_BYTES // 1_000_000} MB; split it.")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise HubError(
            f"The header must name the columns {', '.join(REQUIRED_COLUMNS)}; missing: {', '.join(missing)}."
        )
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise HubError(f"Unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}.")
    rows, errors, count = [], [], 0
    for count, raw in enumerate(reader, start=1):
        line = reader.line_num
        if count > MAX_ROWS:
            raise HubError(f"At most {MAX_ROWS} rows per file.")
        if None in raw:
            errors.append(ImportRowError(row=line, field=None, message="More values than columns."))
            continue
        try:
            rows.append((line, ImportRow.model_validate({k.strip(): v for k, v in raw.items() if k})))
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or None
                errors.append(ImportRowError(row=line, field=field, message=f"{field}: {err['msg']}"))
    return rows, errors, count


async def import_members(
    session: AsyncSession, settings: UsersSettings, principal: Principal, text: str, *, dry_run: bool
) -> ImportReport:
    policies.ensure_admin(principal, "import members")
    rows, errors, count = parse(text)
    errors += await _check_against_club(session, principal, rows)
    errors.sort(key=lambda e: e.row)
    mode = "dry_run" if dry_run else "strict"
    valid = len({line for line, _ in rows} - {e.row for e in errors})
    if errors or dry_run:
        return ImportReport(mode=mode, rows=count, valid_rows=valid, imported=0, errors=errors)
    await _create_all(session, settings, principal, rows)
    return ImportReport(mode=mode, rows=count, valid_rows=valid, imported=len(rows), errors=[])


async def _check_against_club(session: AsyncSession, principal: Principal, rows) -> list[ImportRowError]:
    errors = []
    emails_in_file: dict[str, int] = {}
    existing = await repository.users_by_emails(
        session, [r.email for _, r in rows] + [r.guardian_email for _, r in rows if r.guardian_email]
    )
    teams: dict[str, bool] = {}
    for line, row in rows:
        email = row.email.lower()
        if email in emails_in_file:
            errors.append(
                ImportRowError(row=line, field="email", message=f"Same e-mail as row {emails_in_file[email]}.")
            )
        emails_in_file.setdefault(email, line)
        if email in existing:
            errors.append(ImportRowError(row=line, field="email", message="Someone with this e-mail already exists."))
        if (row.team is None) != (row.role is None):
            errors.append(ImportRowError(row=line, field="role", message="Give both a team and a role, or neither."))
        if row.team is not None:
            if row.team not in teams:
                teams[row.team] = await repository.get_team_by_name(session, principal.org_id, row.team) is not None
            if not teams[row.team]:
                errors.append(ImportRowError(row=line, field="team", message=f"The club has no team '{row.team}'."))
    for line, row in rows:
        if row.guardian_email is None:
            continue
        guardian_email = row.guardian_email.lower()
        known = existing.get(guardian_email)
        if guardian_email not in emails_in_file and (known is None or known.org_id != principal.org_id):
            errors.append(
                ImportRowError(row=line, field="guardian_email", message="No such guardian in the club or file.")
            )
        if row.date_of_birth is None:
            errors.append(
                ImportRowError(
                    row=line, field="date_of_birth", message="A minor with a guardian needs a date of birth."
                )
            )
    return errors


async def _create_all(session: AsyncSession, settings: UsersSettings, principal: Principal, rows) -> None:
    created = {}
    teams = {}
    for _, row in rows:
        user = await service.create_user(
            session,
            settings,
            principal.org_id,
            email=row.email,
            full_name=row.full_name,
            password=None,
            org_roles=list(row.org_roles),
            date_of_birth=row.date_of_birth,
            position=row.position,
            jersey_number=row.jersey_number,
            actor=principal,
        )
        created[user.email] = user
        if row.team is not None:
            if row.team not in teams:
                teams[row.team] = await repository.get_team_by_name(session, principal.org_id, row.team)
            await service.add_membership(session, user, teams[row.team], row.role, actor=principal)
        _, invitation = await auth_service.new_one_time_token(
            session, user, "invitation", timedelta(days=settings.invitation_days)
        )
        await outbox.record(
            session, events.invitation_created(user, invitation.id, invitation.expires_at.date(), principal.user_id)
        )
    for _, row in rows:
        if row.guardian_email is None:
            continue
        guardian = created.get(row.guardian_email.lower()) or await repository.get_user_by_email(
            session, row.guardian_email
        )
        minor = created[row.email.lower()]
        link = await repository.add(
            session, GuardianLink(id=uuid.uuid4(), org_id=principal.org_id, guardian_id=guardian.id, minor_id=minor.id)
        )
        await outbox.record(session, events.guardian_linked(link, actor_id=principal.user_id))


async def export_members(session: AsyncSession, principal: Principal) -> str:
    policies.ensure_admin(principal, "export members")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for user, membership, team in await repository.all_members(session, principal.org_id):
        writer.writerow(
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
        )
    return out.getvalue()
