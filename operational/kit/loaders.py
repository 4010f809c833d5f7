"""Object loaders: every id a client sends, in a path, a query or a body, is resolved here, the same way.

An id of another club, or of nothing, is *not found* (404): ids reveal nothing across clubs. An object of the
caller's club that the caller may not touch is *forbidden* (403). One loader per object type is declared next to the
service's policies and used by its routers (as a dependency) and services (for ids in bodies)::

    series_loader = Loader("event", repository.get_series, allowed=can_read, denied="You can see …")
    ReadableSeries = series_loader.from_path("series_id")        # router:  series: ReadableSeries
    await series_loader.load(session, user, body.series_id, field="series_id")   # service: an id in a body

For ids that name people or teams, which a service knows from its read models, ``Loader`` works the same: ``fetch``
looks the id up in the read model and ``org_of`` tells the club.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Path
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import CurrentUser, Principal
from operational.kit.db import SessionDep
from operational.kit.errors import Forbidden, NotFound
from operational.kit.policies import in_same_org

T = TypeVar("T")


def _org_id(obj: Any) -> uuid.UUID | None:
    return getattr(obj, "org_id", None)


def _always(_principal: Principal, _obj: Any) -> bool:
    return True


@dataclass(frozen=True)
class Loader(Generic[T]):
    """How to find one kind of object by id, and who may touch it.

    ``fetch(session, id)`` returns the object or None; ``allowed(principal, obj)`` says whether the caller may have
    it (after the club check); ``denied`` is the 403 message, written for a person.
    """

    noun: str
    fetch: Callable[[AsyncSession, uuid.UUID], Awaitable[T | None]]
    allowed: Callable[[Principal, T], bool] = _always
    denied: str = "You are not allowed to do that."
    org_of: Callable[[T], uuid.UUID | None] = field(default=_org_id)

    async def load(
        self, session: AsyncSession, principal: Principal, object_id: uuid.UUID, *, field: str | None = None
    ):
        """The object, or NotFound (absent or another club's) / Forbidden (the caller may not touch it)."""
        obj = await self.fetch(session, object_id)
        if obj is None or not in_same_org(principal, self.org_of(obj)):
            raise NotFound(f"No such {self.noun}.", field=field)
        if not self.allowed(principal, obj):
            raise Forbidden(self.denied, field=field)
        return obj

    async def load_all(
        self, session: AsyncSession, principal: Principal, object_ids: Iterable[uuid.UUID], *, field: str
    ) -> list[T]:
        """Every object of ``object_ids`` (in order, without repeats); the first unknown or forbidden one fails."""
        return [
            await self.load(session, principal, object_id, field=f"{field}.{index}")
            for index, object_id in enumerate(dict.fromkeys(object_ids))
        ]

    def from_path(self, parameter: str) -> Any:
        """An ``Annotated`` dependency that loads the object named by the path parameter ``parameter``."""

        async def dependency(
            session: SessionDep,
            principal: CurrentUser,
            object_id: Annotated[uuid.UUID, Path(alias=parameter)],
        ) -> T:
            return await self.load(session, principal, object_id)

        dependency.__name__ = f"load_{self.noun.replace(' ', '_')}"
        return Annotated[Any, Depends(dependency)]

    def narrowed(self, allowed: Callable[[Principal, T], bool], denied: str) -> Loader[T]:
        """The same lookup with a stricter rule (e.g. read → edit)."""
        return Loader(
            self.noun,
            self.fetch,
            allowed=lambda p, o: self.allowed(p, o) and allowed(p, o),
            denied=denied,
            org_of=self.org_of,
        )
