"""The club's training exercise library as the medical service knows it, for rehab plans: the predefined exercises
shipped with the training service (package data, the same ids as in training) and the club's own exercises, kept
from ``training.exercise.created`` / ``training.exercise.updated`` events in ``medical.library_exercises``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.loaders import Loader, in_club
from operational.medical.models import LibraryExercise
from operational.training.data import predefined_exercises


@dataclass(frozen=True)
class KnownExercise:
    id: uuid.UUID
    org_id: uuid.UUID | None  # None: predefined, every club's
    name: str
    category: str


def _predefined(exercise_id: uuid.UUID) -> KnownExercise | None:
    found = predefined_exercises().get(exercise_id)
    return None if found is None else KnownExercise(exercise_id, None, found["name"], found["category"])


async def get_exercise(session: AsyncSession, org_id: uuid.UUID, exercise_id: uuid.UUID) -> KnownExercise | None:
    """A predefined exercise, or one of the club's own; None for anything else (another club's included)."""
    predefined = _predefined(exercise_id)
    if predefined is not None:
        return predefined
    row = await session.scalar(
        select(LibraryExercise).where(LibraryExercise.org_id == org_id, LibraryExercise.id == exercise_id)
    )
    return None if row is None else KnownExercise(row.id, row.org_id, row.name, row.category)


async def known_exercises(
    session: AsyncSession, org_id: uuid.UUID, exercise_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, KnownExercise]:
    """The exercises of ``exercise_ids`` the club's library still has, by id."""
    wanted = set(exercise_ids)
    found = {exercise_id: e for exercise_id in wanted if (e := _predefined(exercise_id)) is not None}
    own = wanted - found.keys()
    if own:
        rows = await session.scalars(
            select(LibraryExercise).where(LibraryExercise.org_id == org_id, LibraryExercise.id.in_(own))
        )
        found |= {row.id: KnownExercise(row.id, row.org_id, row.name, row.category) for row in rows}
    return found


async def keep(
    session: AsyncSession, org_id: uuid.UUID, exercise_id: uuid.UUID, name: str, category: str, at: datetime
) -> None:
    """Add or update a club's own exercise. A later event wins; an id already known under another club is left
    alone (an event cannot move an exercise between clubs)."""
    insert = pg_insert(LibraryExercise).values(
        id=exercise_id, org_id=org_id, name=name, category=category, changed_at=at
    )
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=[LibraryExercise.id],
            set_={"name": insert.excluded.name, "category": insert.excluded.category, "changed_at": at},
            where=(LibraryExercise.org_id == insert.excluded.org_id) & (LibraryExercise.changed_at <= at),
        )
    )


exercise_loader = Loader(
    "exercise in the club's training library", in_club(get_exercise), shared=lambda e: e.org_id is None
)
