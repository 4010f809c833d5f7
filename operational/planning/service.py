"""Season plans: a team's season with phases, mesocycles and weekly planned loads, and the moves a coach makes on it
(copy a week, apply a mesocycle template, shift the plan when the schedule moves). Never commits: the request's unit
of work commits the change and the events recorded here together."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, InvalidValue
from operational.kit.pagination import PageParams
from operational.planning import events, repository
from operational.planning.models import CalendarGame, Mesocycle, Phase, PlanWeek, SeasonPlan, outbox
from operational.planning.policies import is_admin
from operational.planning.schemas import (
    KeyGameRead,
    MesocycleRead,
    PhaseRead,
    PlanCreate,
    PlanRead,
    PlanShift,
    PlanUpdate,
    TemplateApply,
    WeekRead,
    WeekWrite,
    monday_of,
)
from operational.planning.templates import template_weeks

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class PlanStructure:
    plan: SeasonPlan
    phases: list[Phase]
    mesocycles: list[Mesocycle]


# --- plans ----------------------------------------------------------------------------------------------------------
def _check_structure(starts_on: date, ends_on: date, phases, mesocycles) -> None:
    """Phases and mesocycles lie inside the plan and do not overlap one another (each list on its own)."""
    for field, items in (("phases", phases), ("mesocycles", mesocycles)):
        ordered = sorted(enumerate(items), key=lambda pair: pair[1].starts_on)
        for index, item in ordered:
            if item.starts_on < starts_on or item.ends_on > ends_on:
                raise InvalidValue(
                    f"'{item.name}' must lie inside the plan ({starts_on} to {ends_on}).", field=f"{field}.{index}"
                )
        for (_, before), (index, after) in zip(ordered, ordered[1:], strict=False):
            if after.starts_on <= before.ends_on:
                raise InvalidValue(f"'{after.name}' overlaps '{before.name}'.", field=f"{field}.{index}")


def _build_structure(org_id, plan_id, phase_bodies, mesocycle_bodies) -> tuple[list[Phase], list[Mesocycle]]:
    phases = [
        Phase(
            id=uuid.uuid4(),
            org_id=org_id,
            plan_id=plan_id,
            kind=p.kind,
            name=p.name,
            starts_on=p.starts_on,
            ends_on=p.ends_on,
        )
        for p in phase_bodies
    ]
    mesocycles = [
        Mesocycle(
            id=uuid.uuid4(),
            org_id=org_id,
            plan_id=plan_id,
            # a mesocycle belongs to the phase its first day falls in
            phase_id=next((p.id for p in phases if p.starts_on <= m.starts_on <= p.ends_on), None),
            name=m.name,
            starts_on=m.starts_on,
            ends_on=m.ends_on,
            focus=m.focus,
        )
        for m in mesocycle_bodies
    ]
    return phases, mesocycles


async def _refuse_overlap(session, plan_org, team_id, starts_on, ends_on, other_than=None) -> None:
    clash = await repository.overlapping_plan(session, plan_org, team_id, starts_on, ends_on, other_than=other_than)
    if clash is not None:
        raise Conflict(
            f"The team already has a plan for these dates ('{clash.name}', {clash.starts_on} to {clash.ends_on}); "
            "change that plan or choose other dates.",
            field="starts_on",
        )


async def create_plan(session: AsyncSession, principal: Principal, body: PlanCreate) -> PlanStructure:
    """``body.team_id`` has been loaded as a team the caller manages."""
    _check_structure(body.starts_on, body.ends_on, body.phases, body.mesocycles)
    await _refuse_overlap(session, principal.org_id, body.team_id, body.starts_on, body.ends_on)
    plan = SeasonPlan(
        id=uuid.uuid4(),
        org_id=principal.org_id,
        team_id=body.team_id,
        name=body.name,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        created_by=principal.user_id,
        updated_at=datetime.now(UTC),
    )
    await repository.add(session, plan)
    phases, mesocycles = _build_structure(plan.org_id, plan.id, body.phases, body.mesocycles)
    await repository.replace_structure(session, plan.id, phases, mesocycles)
    await outbox.record(session, events.season_plan_saved(plan, phases, mesocycles, principal))
    return PlanStructure(plan, phases, mesocycles)


async def structure_of(session: AsyncSession, plan: SeasonPlan) -> PlanStructure:
    return PlanStructure(
        plan, await repository.phases_of(session, plan.id), await repository.mesocycles_of(session, plan.id)
    )


async def update_plan(session: AsyncSession, principal: Principal, plan: SeasonPlan, body: PlanUpdate) -> PlanStructure:
    current = await structure_of(session, plan)
    changes = body.changes()
    starts_on = changes.get("starts_on", plan.starts_on)
    ends_on = changes.get("ends_on", plan.ends_on)
    if starts_on > ends_on:
        raise InvalidValue("The plan must start on or before the day it ends.", field="starts_on")
    phase_bodies = body.phases if body.phases is not None else current.phases
    mesocycle_bodies = body.mesocycles if body.mesocycles is not None else current.mesocycles
    _check_structure(starts_on, ends_on, phase_bodies, mesocycle_bodies)
    weeks = await repository.weeks_of(session, plan.id)
    outside = [w.week_start for w in weeks if w.week_start + timedelta(days=6) < starts_on or w.week_start > ends_on]
    if outside:
        raise Conflict(
            f"Weeks {', '.join(map(str, outside))} are planned outside these dates; remove or shift them first.",
            field="starts_on",
        )
    await _refuse_overlap(session, plan.org_id, plan.team_id, starts_on, ends_on, other_than=plan.id)
    plan.name = changes.get("name", plan.name)
    plan.starts_on, plan.ends_on = starts_on, ends_on
    plan.updated_at = datetime.now(UTC)
    phases, mesocycles = current.phases, current.mesocycles
    if body.phases is not None or body.mesocycles is not None:
        phases, mesocycles = _build_structure(plan.org_id, plan.id, phase_bodies, mesocycle_bodies)
        await repository.replace_structure(session, plan.id, phases, mesocycles)
        await repository.file_weeks_under_mesocycles(session, plan.id)
    await outbox.record(session, events.season_plan_saved(plan, phases, mesocycles, principal))
    return PlanStructure(plan, phases, mesocycles)


async def delete_plan(session: AsyncSession, principal: Principal, plan: SeasonPlan) -> None:
    await outbox.record(session, events.season_plan_deleted(plan, principal))
    await repository.remove(session, plan)


def plan_read(structure: PlanStructure) -> PlanRead:
    plan = structure.plan
    return PlanRead(
        id=plan.id,
        team_id=plan.team_id,
        name=plan.name,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        phases=[PhaseRead.model_validate(p) for p in sorted(structure.phases, key=lambda p: p.starts_on)],
        mesocycles=[MesocycleRead.model_validate(m) for m in sorted(structure.mesocycles, key=lambda m: m.starts_on)],
        created_by=plan.created_by,
        updated_at=plan.updated_at,
    )


async def list_plans(session: AsyncSession, principal: Principal, team_id: uuid.UUID | None, page: PageParams):
    team_ids = None if is_admin(principal) else frozenset(principal.team_ids)
    if team_id is not None:
        team_ids = frozenset({team_id})
    return await repository.list_plans(session, principal.org_id, team_ids, page)


# --- weeks ----------------------------------------------------------------------------------------------------------
def _check_week(plan: SeasonPlan, week_start: date, field: str) -> None:
    if week_start.weekday() != 0:
        raise InvalidValue(
            f"A week starts on a Monday; {week_start} is not one (try {monday_of(week_start)}).", field=field
        )
    if week_start + timedelta(days=6) < plan.starts_on or week_start > plan.ends_on:
        raise InvalidValue(
            f"The week of {week_start} is outside the plan ({plan.starts_on} to {plan.ends_on}).", field=field
        )


async def _save_week(session, principal, plan: SeasonPlan, week_start: date, values: dict) -> PlanWeek:
    week = await repository.get_week(session, plan.id, week_start)
    mesocycles = await repository.mesocycles_of(session, plan.id)
    values = {
        **values,
        "mesocycle_id": next((m.id for m in mesocycles if m.starts_on <= week_start <= m.ends_on), None),
    }
    if week is None:
        week = PlanWeek(id=uuid.uuid4(), org_id=plan.org_id, plan_id=plan.id, week_start=week_start, **values)
        await repository.add(session, week)
    else:
        for name, value in values.items():
            setattr(week, name, value)
        week.updated_at = datetime.now(UTC)
        await session.flush()
    await outbox.record(session, events.week_planned(week, plan, principal))
    return week


def _week_values(body: WeekWrite) -> dict:
    mix = body.intensity_mix
    return {
        "planned_sessions": body.planned_sessions,
        "planned_load_au": body.planned_load_au,
        "low_pct": mix.low_pct,
        "moderate_pct": mix.moderate_pct,
        "high_pct": mix.high_pct,
        "focus": body.focus,
    }


def _copied_values(week: PlanWeek) -> dict:
    names = ("planned_sessions", "planned_load_au", "low_pct", "moderate_pct", "high_pct", "focus")
    return {name: getattr(week, name) for name in names}


async def put_week(session, principal, plan: SeasonPlan, week_start: date, body: WeekWrite) -> PlanWeek:
    _check_week(plan, week_start, "week_start")
    return await _save_week(session, principal, plan, week_start, _week_values(body))


async def delete_week(session, principal, plan: SeasonPlan, week: PlanWeek) -> None:
    await outbox.record(session, events.week_removed(week, plan, principal))
    await repository.remove(session, week)


async def copy_week(session, principal, plan: SeasonPlan, week: PlanWeek, to_week_start: date) -> PlanWeek:
    _check_week(plan, to_week_start, "to_week_start")
    if to_week_start == week.week_start:
        raise InvalidValue("Copy the week to another week.", field="to_week_start")
    return await _save_week(session, principal, plan, to_week_start, _copied_values(week))


async def apply_template(session, principal, plan: SeasonPlan, mesocycle: Mesocycle, body: TemplateApply):
    """Plan every week whose Monday falls in the mesocycle from the template (weeks already planned are replaced)."""
    first = mesocycle.starts_on + timedelta(days=(7 - mesocycle.starts_on.weekday()) % 7)
    mondays = (
        [first + i * WEEK for i in range(((mesocycle.ends_on - first).days // 7) + 1)]
        if first <= mesocycle.ends_on
        else []
    )
    mondays = [m for m in mondays if m <= plan.ends_on]
    if not mondays:
        raise InvalidValue(
            f"'{mesocycle.name}' has no Monday in it; make it at least a week long.", field="mesocycle_id"
        )
    weeks = []
    for monday, shape in zip(mondays, template_weeks(body.template, len(mondays)), strict=True):
        values = {
            "planned_sessions": body.sessions_per_week,
            "planned_load_au": round(body.base_load_au * shape.load_share),
            "low_pct": shape.low_pct,
            "moderate_pct": shape.moderate_pct,
            "high_pct": shape.high_pct,
            "focus": body.focus or mesocycle.focus,
        }
        weeks.append(await _save_week(session, principal, plan, monday, values))
    return weeks


async def shift_plan(session, principal, plan: SeasonPlan, body: PlanShift) -> list[PlanWeek]:
    """Move the week ``from_week_start`` and every later week (and the mesocycles and phases starting on or after it)
    by ``weeks``; the plan's end moves with them when they pass it. Refused when a moved week would land on a week
    that stays, or before the plan starts."""
    _check_week(plan, body.from_week_start, "from_week_start")
    delta = body.weeks * WEEK
    moving = await repository.weeks_of(session, plan.id, from_week=body.from_week_start)
    staying = {w.week_start for w in await repository.weeks_of(session, plan.id)} - {w.week_start for w in moving}
    landing = {w.week_start + delta for w in moving}
    if landing & staying:
        clash = min(landing & staying)
        raise Conflict(
            f"Moving would put two plans on the week of {clash}; remove or move that week first.", field="weeks"
        )
    if body.from_week_start + delta + timedelta(days=6) < plan.starts_on:
        raise InvalidValue(
            f"Moving by {body.weeks} weeks would start before the plan ({plan.starts_on}).", field="weeks"
        )
    structure = await structure_of(session, plan)
    for item in (*structure.phases, *structure.mesocycles):
        if item.starts_on >= body.from_week_start:
            item.starts_on, item.ends_on = item.starts_on + delta, item.ends_on + delta
    ends = [w + timedelta(days=6) for w in landing] + [i.ends_on for i in (*structure.phases, *structure.mesocycles)]
    if max([plan.ends_on, *ends]) > plan.ends_on:  # the plan grows: not into the team's next plan
        await _refuse_overlap(session, plan.org_id, plan.team_id, plan.starts_on, max(ends), other_than=plan.id)
        plan.ends_on = max(ends)
    try:
        _check_structure(plan.starts_on, plan.ends_on, structure.phases, structure.mesocycles)
    except InvalidValue as refusal:
        # moving earlier can run a moved phase or mesocycle into one that stays
        raise Conflict(f"Moving by {body.weeks} weeks: {refusal.message}", field="weeks") from refusal
    plan.updated_at = datetime.now(UTC)
    # delete and insert again: moving rows in place could collide on (plan, week) halfway through
    kept = [(w.id, w.week_start + delta, _copied_values(w)) for w in moving]
    for week in moving:
        await session.delete(week)
    await session.flush()
    moved = [PlanWeek(id=i, org_id=plan.org_id, plan_id=plan.id, week_start=d, **v) for i, d, v in kept]
    await repository.add(session, *moved)
    await repository.file_weeks_under_mesocycles(session, plan.id)
    await outbox.record(session, events.season_plan_saved(plan, structure.phases, structure.mesocycles, principal))
    for week in moved:
        await outbox.record(session, events.week_planned(week, plan, principal))
    return moved


# --- the plan, week by week, with its key games ----------------------------------------------------------------------
def _local_day(moment: datetime, time_zone: str) -> date:
    try:
        return moment.astimezone(ZoneInfo(time_zone)).date()
    except (KeyError, ValueError):
        return moment.astimezone(UTC).date()


async def key_games(session, principal: Principal, plan: SeasonPlan) -> list[tuple[CalendarGame, str | None, date]]:
    """The plan's team's games within the plan's dates, with their priority and their day on the club's calendar."""
    starts = datetime.combine(plan.starts_on - timedelta(days=1), time(), tzinfo=UTC)
    ends = datetime.combine(plan.ends_on + timedelta(days=2), time(), tzinfo=UTC)
    games = await repository.games_of_team(session, plan.org_id, plan.team_id, starts, ends)
    dated = [(game, priority, _local_day(game.starts_at, principal.time_zone)) for game, priority in games]
    return [g for g in dated if plan.starts_on <= g[2] <= plan.ends_on]


def game_read(game: CalendarGame, priority: str | None) -> KeyGameRead:
    return KeyGameRead(series_id=game.series_id, title=game.title, starts_at=game.starts_at, priority=priority)


async def weeks_read(session, principal: Principal, plan: SeasonPlan) -> list[WeekRead]:
    structure = await structure_of(session, plan)
    games = await key_games(session, principal, plan)
    items = []
    for week in await repository.weeks_of(session, plan.id):
        start, end = week.week_start, week.week_start + timedelta(days=6)
        in_week = [(g, p) for g, p, day in games if start <= day <= end]
        next_week = [p for _g, p, day in games if end < day <= end + WEEK]
        taper = any(p in ("A", "B") for _g, p in in_week) or "A" in next_week
        items.append(
            WeekRead(
                week_start=start,
                week_end=end,
                planned_sessions=week.planned_sessions,
                planned_load_au=week.planned_load_au,
                intensity_mix={"low_pct": week.low_pct, "moderate_pct": week.moderate_pct, "high_pct": week.high_pct},
                focus=week.focus,
                phase=next((p.name for p in structure.phases if p.starts_on <= start <= p.ends_on), None),
                mesocycle=next((m.name for m in structure.mesocycles if m.id == week.mesocycle_id), None),
                key_games=[game_read(g, p) for g, p in in_week],
                taper=taper,
            )
        )
    return items


async def prioritise_game(session, principal: Principal, plan: SeasonPlan, game: CalendarGame, priority: str):
    if game.cancelled:
        raise Conflict("That game was cancelled; it needs no priority.", field="series_id")
    if game.team_id is not None and game.team_id != plan.team_id:
        raise InvalidValue("That game is another team's; rank your own team's games.", field="series_id")
    await repository.set_priority(session, plan.org_id, game.series_id, priority, principal.user_id)
    await outbox.record(session, events.key_game_prioritised(game, plan.team_id, priority, principal))
    return game_read(game, priority)
