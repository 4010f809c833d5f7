"""Health problems: recording, correcting and reading them, with recurrences linked and availability derived again
after every change. Never commits: the request's unit of work does, with the access log rows and events written
here."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import InvalidValue
from operational.kit.pagination import PageParams
from operational.medical import access_log, availability, events, loaders, policies, repository
from operational.medical.models import HealthProblem, outbox
from operational.medical.osiics import OsiicsCode, lookup
from operational.medical.schemas import MedicalExport, ProblemCreate, ProblemUpdate

RECORD = "health_problem"
# the order the dates of a problem must keep (each on or after the ones before it)
DATE_ORDER = ("onset_date", "partial_return_date", "full_training_date", "return_to_play_date")


def _code(value: str, kind: str) -> OsiicsCode:
    code = lookup(value)
    if code is None:
        raise InvalidValue(
            f"'{value}' is not an OSIICS code this service knows; GET /api/v1/medical/osiics-codes lists them.",
            field="osiics_code",
        )
    if code.kind != kind:
        raise InvalidValue(f"{code.code} is an {code.kind} code; this problem is an {kind}.", field="osiics_code")
    return code


def check(values: dict, today: date) -> None:
    """The rules a problem keeps, whether new or corrected (422 naming the field otherwise)."""
    code = _code(values["osiics_code"], values["kind"])
    if code.needs_side and values.get("side") is None:
        raise InvalidValue(f"Say which side ({code.body_area} is a paired body area): left, right or bilateral.",
                           field="side")  # fmt: skip
    if values["kind"] == "illness" and values.get("mechanism") is not None:
        raise InvalidValue("An illness has no mechanism of injury; leave mechanism out.", field="mechanism")
    for name in DATE_ORDER:  # what happened, not what is planned: the plan is the expected return
        if values.get(name) is not None and values[name] > today:
            raise InvalidValue(f"{name} is in the future (in your club's time zone); record it when it happens, "
                               "and the plan as expected_return_date.", field=name)  # fmt: skip
    previous = None
    for name in DATE_ORDER:
        day = values.get(name)
        if day is None:
            continue
        if previous is not None and day < values[previous]:
            raise InvalidValue(f"{name} ({day}) is before {previous} ({values[previous]}); dates go in that order: "
                               f"{', '.join(DATE_ORDER)}.", field=name)  # fmt: skip
        previous = name
    expected = values.get("expected_return_date")
    if expected is not None and expected < values["onset_date"]:
        raise InvalidValue("The expected return is before the onset.", field="expected_return_date")


async def record_problem(session: AsyncSession, principal: Principal, body: ProblemCreate) -> HealthProblem:
    player = await loaders.treated_player.load(session, principal, body.player_id, field="player_id")
    values = body.model_dump()
    values["osiics_code"] = values["osiics_code"].strip().upper()
    check(values, principal.today())
    teams = sorted(player.team_ids)
    problem = HealthProblem(
        id=uuid.uuid4(),
        org_id=principal.org_id,
        team_id=teams[0] if len(teams) == 1 else None,
        recorded_by=principal.user_id,
        **values,
    )
    now = datetime.now(UTC)
    problem.created_at = problem.updated_at = now
    await repository.add(session, problem)
    await _link_recurrence(session, problem)
    await access_log.record_one(session, principal, "create", RECORD, problem.player_id, problem.id)
    await outbox.record(session, events.health_problem_recorded(problem, principal))
    await availability.refresh(session, principal, problem.org_id, problem.player_id)
    return problem


async def correct_problem(
    session: AsyncSession, principal: Principal, problem: HealthProblem, body: ProblemUpdate
) -> HealthProblem:
    changes = body.changes()
    if "osiics_code" in changes:
        changes["osiics_code"] = changes["osiics_code"].strip().upper()
    values = {name: getattr(problem, name) for name in ProblemCreate.model_fields if name != "player_id"}
    values |= changes
    check(values, principal.today())
    for name, value in changes.items():
        setattr(problem, name, value)
    problem.updated_at = datetime.now(UTC)
    if {"osiics_code", "side", "onset_date"} & changes.keys():
        await _link_recurrence(session, problem)
    await session.flush()
    await access_log.record_one(session, principal, "update", RECORD, problem.player_id, problem.id)
    await outbox.record(session, events.health_problem_recorded(problem, principal))
    await availability.refresh(session, principal, problem.org_id, problem.player_id)
    return problem


async def _link_recurrence(session: AsyncSession, problem: HealthProblem) -> None:
    index = await repository.index_problem(session, problem)
    problem.recurrence_of = index.id if index is not None else None
    await session.flush()


async def read_problem(session: AsyncSession, principal: Principal, problem: HealthProblem) -> HealthProblem:
    await access_log.record_one(session, principal, "read", RECORD, problem.player_id, problem.id)
    return problem


async def list_problems(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    player_id: uuid.UUID | None,
    open_only: bool,
) -> tuple[list[HealthProblem], int]:
    items, total = await repository.list_problems(
        session,
        principal.org_id,
        policies.clinical_scope(principal),
        page,
        player_id=player_id,
        open_on=principal.today() if open_only else None,
    )
    await access_log.record(session, principal, "read", RECORD, [(p.player_id, p.id) for p in items])
    return items, total


def problem_read(problem: HealthProblem, today: date) -> dict:
    code = lookup(problem.osiics_code)
    return {
        **{column.key: getattr(problem, column.key) for column in HealthProblem.__table__.columns},
        "osiics_group": code.group,
        "body_area": code.body_area,
        "osiics_description": code.description,
        "severity_days": events.severity_days(problem),
        "is_open": problem.return_to_play_date is None or problem.return_to_play_date > today,
    }


async def personal_data(session: AsyncSession, principal: Principal) -> dict:
    """The caller's own medical record, for the account's export: what ``GET /players/{me}/export`` gives (its
    reading logged likewise), or empty tables, unlogged, for someone the service holds nothing about."""
    found = await repository.everything_about(session, principal.org_id, principal.user_id)
    if not any(found.values()):
        return {"player_id": str(principal.user_id), "tables": {name: [] for name in found}}
    exported = await export_record(session, principal, principal.user_id)
    return MedicalExport(**exported).model_dump(mode="json")


async def export_record(session: AsyncSession, principal: Principal, player_id: uuid.UUID) -> dict:
    """The player's whole medical record as data (for the player or a guardian: their right of access; medical staff
    too). Documents are listed; their content is downloaded one by one."""
    found = await repository.everything_about(session, principal.org_id, player_id)
    await access_log.record_one(session, principal, "read", "export", player_id, None)
    return {
        "player_id": player_id,
        "exported_at": datetime.now(UTC),
        "tables": {
            name: [{column.key: getattr(row, column.key) for column in row.__table__.columns} for row in rows]
            for name, rows in found.items()
        },
    }
