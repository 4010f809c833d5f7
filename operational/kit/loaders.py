"""Object loaders: every id a client sends, in a path, a query or a body, is resolved here, the same way.

An id of another club, or of nothing, is *not found* (404): ids reveal nothing across clubs. An object of the
caller's club that the caller may not touch is *forbidden* (403). One loader per object type is declared next to the
service's policies and used by its routers (as a dependency) and services (for ids in bodies)::

    series_loader = Loader("event", in_club(repository.get_series), allowed=can_read, denied="You can see …")
    ReadableSeries = series_loader.from_path("series_id")          # router:  series: ReadableSeries
    await series_loader.load(session, user, body.series_id, field="series_id")   # service: an id in a body

``fetch(session, principal, id)`` looks the object up; :func:`in_club` adapts a repository lookup that takes the
club's id (so the query itself is scoped), :func:`by_id` one that takes the id alone (the club is checked after).
Ids that name people or teams, which a service knows from its read models, work the same way.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Path, Query, params
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import CurrentUser, Principal
from operational.kit.db import SessionDep
from operational.kit.errors import Forbidden, NotFound
from operational.kit.pagination import QueryFilter
from operational.kit.policies import in_same_org

T = TypeVar("T")
Fetch = Callable[[AsyncSession, Principal, uuid.UUID], Awaitable[Any]]


def in_club(lookup: Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[Any]]) -> Fetch:
    """``lookup(session, org_id, object_id)`` as a loader's fetch: the query only sees the caller's club."""

    async def fetch(session: AsyncSession, principal: Principal, object_id: uuid.UUID):
        return await lookup(session, principal.org_id, object_id)

    return fetch


def by_id(lookup: Callable[[AsyncSession, uuid.UUID], Awaitable[Any]]) -> Fetch:
    """``lookup(session, object_id)`` as a loader's fetch (the loader checks the object's club after)."""

    async def fetch(session: AsyncSession, _principal: Principal, object_id: uuid.UUID):
        return await lookup(session, object_id)

    return fetch


def _org_id(obj: Any) -> uuid.UUID | None:
    return getattr(obj, "org_id", None)


def _always(_principal: Principal, _obj: Any) -> bool:
    return True


def _never(_obj: Any) -> bool:
    return False


@dataclass(frozen=True)
class Loader(Generic[T]):
    """How to find one kind of object by id, and who may touch it.

    ``allowed(principal, obj)`` says whether the caller may have it (after the club check); ``denied`` is the 403
    message, written for a person. ``shared(obj)`` marks objects every club may use (a predefined library).
    """

    noun: str
    fetch: Fetch
    allowed: Callable[[Principal, T], bool] = _always
    denied: str = "You are not allowed to do that."
    org_of: Callable[[T], uuid.UUID | None] = field(default=_org_id)
    shared: Callable[[T], bool] = _never

    async def load(
        self, session: AsyncSession, principal: Principal, object_id: uuid.UUID, *, field: str | None = None
    ) -> T:
        """The object, or NotFound (absent or another club's) / Forbidden (the caller may not touch it)."""
        obj = await self.fetch(session, principal, object_id)
        if obj is None or not (self.shared(obj) or in_same_org(principal, self.org_of(obj))):
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

    def narrowed(self, allowed: Callable[[Principal, T], bool], denied: str) -> Loader[T]:
        """The same lookup with a stricter rule (e.g. read → edit); the stricter rule's message when it fails."""
        wider = self.allowed
        return replace(self, allowed=lambda p, o: wider(p, o) and allowed(p, o), denied=denied)

    def from_path(self, parameter: str) -> Any:
        """An ``Annotated`` dependency that loads the object named by the path parameter ``parameter``."""

        async def dependency(session: AsyncSession, principal: Principal, **named: uuid.UUID) -> T:
            return await self.load(session, principal, named[parameter])

        return self._depends(dependency, parameter, Path(), "load")

    def from_query(self, parameter: str, description: str) -> Any:
        """An ``Annotated`` dependency for an optional query parameter naming one of these objects (None if absent)."""

        async def dependency(session: AsyncSession, principal: Principal, **named: uuid.UUID | None) -> T | None:
            object_id = named[parameter]
            return None if object_id is None else await self.load(session, principal, object_id, field=parameter)

        return self._depends(dependency, parameter, Query(description=description), "filter_by")

    def named_in_query(self, parameter: str, description: str) -> Any:
        """An ``Annotated`` dependency for an optional query parameter naming one of these objects, not loaded yet: a
        :class:`NamedInQuery` the endpoint loads with the session and caller it already has. The same parameter as
        :meth:`from_query` (documentation, validation, 404/403 naming the field), but the dependency declares only
        the parameter: each :meth:`from_query` filter solves the session, the token and the bearer scheme again
        before FastAPI finds them cached, a list endpoint's largest cost after its query."""
        query_filter = self.in_query(parameter, description)

        async def dependency(**named: uuid.UUID | None) -> NamedInQuery[T]:
            return query_filter.named(named[parameter])

        dependency.__signature__ = inspect.Signature(
            [
                inspect.Parameter(
                    parameter, inspect.Parameter.KEYWORD_ONLY, annotation=query_filter.annotation, default=None
                )
            ]
        )
        dependency.__name__ = f"name_{self.noun.replace(' ', '_')}"
        return Annotated[NamedInQuery[T], Depends(dependency)]

    def in_query(self, parameter: str, description: str) -> QueryFilter:
        """The filter of :meth:`named_in_query` for :func:`~operational.kit.pagination.list_query`: the endpoint gets
        the :class:`NamedInQuery`, together with the list's page and dates, from one dependency."""
        return QueryFilter(
            parameter,
            Annotated[uuid.UUID | None, Query(description=description)],
            lambda object_id: NamedInQuery(self, object_id, parameter),
        )

    def _depends(self, dependency, parameter: str, source, verb: str) -> Any:
        # The signature is built from objects, not annotations: FastAPI must see the parameter under its own name,
        # which postponed annotations could not name (a local variable).
        required = isinstance(source, params.Path)
        id_type = uuid.UUID if required else uuid.UUID | None
        dependency.__signature__ = inspect.Signature(
            [
                inspect.Parameter("session", inspect.Parameter.KEYWORD_ONLY, annotation=SessionDep),
                inspect.Parameter("principal", inspect.Parameter.KEYWORD_ONLY, annotation=CurrentUser),
                inspect.Parameter(
                    parameter,
                    inspect.Parameter.KEYWORD_ONLY,
                    annotation=Annotated[id_type, source],
                    default=inspect.Parameter.empty if required else None,
                ),
            ]
        )
        dependency.__name__ = f"{verb}_{self.noun.replace(' ', '_')}"
        return Annotated[Any, Depends(dependency)]


@dataclass(frozen=True)
class NamedInQuery(Generic[T]):
    """The id a request's query names for ``loader`` (None when absent), from :meth:`Loader.named_in_query`."""

    loader: Loader[T]
    object_id: uuid.UUID | None
    field: str

    async def load(self, session: AsyncSession, principal: Principal) -> T | None:
        """The object (None when the query names none), or NotFound / Forbidden naming the query parameter."""
        if self.object_id is None:
            return None
        return await self.loader.load(session, principal, self.object_id, field=self.field)
