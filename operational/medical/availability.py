"""Availability: derived from a player's open health problems (and their return-to-play stage), or set by medical
staff. Every change is recorded as ``medical.availability.changed`` in the outbox, in the transaction that makes it;
training, calendar and the warehouse follow it. Nothing clinical is in it.

Derivation, for each open problem (not yet back to competition):
- in a return-to-play protocol: the stage says (concussion: stages 1–3 unavailable, 4 no contact, 5 practice but not
  games, 6 available);
- a time-loss problem: unavailable until the return to partial training, then limited (the problem's restrictions)
  until the return to competition;
- a medical-attention problem: limited by its restrictions, if it has any.
The most restrictive status wins, restrictions add up, the expected return is the latest one known. A status set by
medical staff stands until a problem of the player changes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.medical import events, repository
from operational.medical.models import Availability, HealthProblem, ReturnToPlay, outbox
from operational.medical.rehab import protocols
from operational.medical.rehab import repository as rehab_repository

SEVERITY = {"available": 0, "limited": 1, "unavailable": 2}


@dataclass
class Derived:
    status: str = "available"
    restrictions: set[str] = field(default_factory=set)
    expected_until: date | None = None
    notes: list[str] = field(default_factory=list)

    def add(self, status: str, restrictions=(), expected: date | None = None, note: str | None = None) -> None:
        if SEVERITY[status] > SEVERITY[self.status]:
            self.status = status
        if status == "available":
            return
        self.restrictions |= set(restrictions)
        if expected is not None and (self.expected_until is None or expected > self.expected_until):
            self.expected_until = expected
        if note and note not in self.notes:
            self.notes.append(note)

    @property
    def note(self) -> str | None:
        return "; ".join(self.notes)[:200] or None if self.status != "available" else None


def _on_or_before(day: date | None, today: date) -> bool:
    return day is not None and day <= today


def derive(problems: list[HealthProblem], plans: dict[uuid.UUID, ReturnToPlay], today: date) -> Derived:
    derived = Derived()
    for problem in problems:
        plan = plans.get(problem.id)
        expected = problem.expected_return_date
        if plan is not None and plan.completed_at is None:
            stage = protocols.stage_of(plan.protocol, plan.stage)
            derived.add(stage.availability, stage.restrictions, expected, stage.note_for_staff)
        elif problem.time_loss and _on_or_before(problem.full_training_date, today):
            derived.add("limited", problem.restrictions, expected, "Full training; not yet cleared for games")
        elif problem.time_loss and _on_or_before(problem.partial_return_date, today):
            derived.add("limited", problem.restrictions, expected, "Modified training only")
        elif problem.time_loss:
            derived.add("unavailable", (), expected)
        elif problem.restrictions:
            derived.add("limited", problem.restrictions, expected)
    return derived


async def refresh(session: AsyncSession, principal: Principal, org_id: uuid.UUID, player_id: uuid.UUID) -> None:
    """Derive the player's availability again from their open problems; record it if it changed."""
    await repository.lock_player(session, player_id)
    today = principal.today()
    problems = await repository.open_problems(session, org_id, player_id, today)
    plans = await rehab_repository.plans_for(session, org_id, [p.id for p in problems])
    derived = derive(problems, plans, today)
    await _apply(
        session,
        principal,
        org_id,
        player_id,
        {
            "status": derived.status,
            "restrictions": sorted(derived.restrictions),
            "expected_until": derived.expected_until,
            "note_for_staff": derived.note,
        },
        source="derived",
    )


async def set_by_staff(session: AsyncSession, principal: Principal, player_id: uuid.UUID, values: dict) -> None:
    await repository.lock_player(session, player_id)
    values = {**values, "restrictions": sorted(set(values["restrictions"]))}
    if values["status"] == "available":
        values |= {"restrictions": [], "expected_until": None}
    await _apply(session, principal, principal.org_id, player_id, values, source="set_by_staff")


async def _apply(session: AsyncSession, principal: Principal, org_id, player_id, values: dict, *, source: str) -> None:
    current = await repository.get_availability(session, org_id, player_id)
    before = (
        {"status": "available", "restrictions": [], "expected_until": None, "note_for_staff": None}
        if current is None
        else {name: getattr(current, name) for name in values}
    )
    if current is not None:
        current.source, current.updated_by = source, principal.user_id
    if before == values:
        return
    if current is None:
        current = Availability(player_id=player_id, org_id=org_id)
        session.add(current)
    for name, value in values.items():
        setattr(current, name, value)
    current.effective_from = principal.today()
    current.source, current.updated_by, current.updated_at = source, principal.user_id, datetime.now(UTC)
    await session.flush()
    await outbox.record(session, events.availability_changed(current, principal))


def read(availability: Availability | None, player_id: uuid.UUID, today: date) -> dict:
    """What anyone allowed to see the player's availability gets (no row yet: available)."""
    if availability is None:
        return {
            "player_id": player_id,
            "status": "available",
            "restrictions": [],
            "effective_from": today,
            "expected_until": None,
            "note_for_staff": None,
            "source": "none",
        }
    return {
        name: getattr(availability, name)
        for name in ("player_id", "status", "restrictions", "effective_from", "expected_until", "note_for_staff",
                     "source")
    }  # fmt: skip
