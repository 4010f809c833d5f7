"""One list shape for every list endpoint: ``{items, total, limit, offset}``, built by :func:`paginate`.

A router takes ``page: PageDep`` (and ``dates: DateRangeDep`` where a list is dated), a repository hands its filtered
``select`` to :func:`paginate`, and the router returns ``Page.of(items, total, page)``. A list read on every request
takes its page, dates and filters as one dependency instead (:func:`list_query`).

The fast path for a list read on every request (see :class:`PageQuery`): the repository builds the page's query once
per shape of filters, with bind parameters for the values, selecting the item model's fields as plain columns; the
rows come back as dicts (no ORM objects), and the router returns ``Page.response(items, total, page)``, the JSON
body written by pydantic in one pass (no second validation of the page by FastAPI).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field, TypeAdapter
from pydantic_core import PydanticSerializationError
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict  # pydantic reads typing's TypedDict only from Python 3.12 on

from operational.kit.errors import InvalidValue

ItemT = TypeVar("ItemT")

MAX_LIMIT = 500
# Far beyond any real list, and well inside what Postgres takes as OFFSET (a bigint).
MAX_OFFSET = 10_000_000


class PageParams(BaseModel):
    limit: int
    offset: int


# async: a plain function dependency would run in the thread pool, a thread handoff on every request
async def _page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page, 1 to 500")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(_page_params)]


class DateRange(BaseModel):
    date_from: date | None
    date_to: date | None


async def _date_range(
    date_from: Annotated[date | None, Query(alias="from", description="First day, ISO 8601")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Last day, ISO 8601")] = None,
) -> DateRange:
    if date_from and date_to and date_from > date_to:
        raise InvalidValue("'from' must be on or before 'to'.", field="from")
    return DateRange(date_from=date_from, date_to=date_to)


DateRangeDep = Annotated[DateRange, Depends(_date_range)]


@dataclass(frozen=True)
class QueryFilter:
    """An optional query parameter of a list (for :func:`list_query`): its name, its annotation (type and
    ``Query(...)`` documentation, default None) and ``named``, which turns its value into what the endpoint gets."""

    parameter: str
    annotation: Any
    named: Callable[[Any], Any]


class ListQuery:
    """What a list's query says: ``page``, ``dates`` (None for a list without dates) and one attribute per filter
    of :func:`list_query`, under the name it was given there."""

    def __init__(self, page: PageParams, dates: DateRange | None, filters: dict[str, Any]):
        self.page = page
        self.dates = dates
        self.__dict__.update(filters)


def _parameters(dependency: Callable) -> list[inspect.Parameter]:
    return [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        for p in inspect.signature(dependency, eval_str=True).parameters.values()
    ]


def list_query(*, dated: bool = False, **filters: QueryFilter) -> Any:
    """An ``Annotated`` dependency for a list's whole query, a :class:`ListQuery`: the page (``limit``,
    ``offset``), the dates (``from``, ``to``) if ``dated``, then each filter's parameter, in that order.

    The same parameters, documentation, validation and errors as ``PageDep``, ``DateRangeDep`` and one dependency
    per filter, which it replaces: FastAPI solves one dependency instead of several on every request."""
    parameters = _parameters(_page_params) + (_parameters(_date_range) if dated else [])
    parameters += [
        inspect.Parameter(f.parameter, inspect.Parameter.KEYWORD_ONLY, annotation=f.annotation, default=None)
        for f in filters.values()
    ]

    async def dependency(**values: Any) -> ListQuery:
        page = PageParams(limit=values["limit"], offset=values["offset"])
        dates = await _date_range(values["date_from"], values["date_to"]) if dated else None
        return ListQuery(page, dates, {name: f.named(values[f.parameter]) for name, f in filters.items()})

    dependency.__signature__ = inspect.Signature(parameters)
    dependency.__name__ = "list_query"
    return Annotated[ListQuery, Depends(dependency)]


def dated(query: Select, column, dates: DateRange | None) -> Select:
    """``query`` limited to rows whose ``column`` falls in ``dates`` (both ends included)."""
    if dates is not None and dates.date_from is not None:
        query = query.where(column >= dates.date_from)
    if dates is not None and dates.date_to is not None:
        query = query.where(column <= dates.date_to)
    return query


async def paginate(
    session: AsyncSession, statement: Select, page: PageParams, *, order_by: Sequence[Any] = (), scalars: bool = True
) -> tuple[list, int]:
    """One page of ``statement`` and how many rows it has in all, in one query: the page's rows carry the total
    (``count(*) OVER ()``, computed before LIMIT/OFFSET apply). Only a page past the end (no row to carry it) asks
    for the total on its own, and so does a ``DISTINCT`` statement (a window counts rows before DISTINCT).

    ``order_by`` must make the order total (end with a unique column), or rows can repeat or vanish between pages.
    ``scalars=False`` returns rows as tuples (for statements that select several columns or entities).
    """
    if statement._distinct:
        return await _paginate_counting_apart(session, statement, page, order_by=order_by, scalars=scalars)
    ordered = statement.order_by(*order_by) if order_by else statement
    counted = ordered.add_columns(func.count().over().label("hub_page_total"))
    rows = (await session.execute(counted.limit(page.limit).offset(page.offset))).all()
    if not rows:
        return [], await _count(session, statement) if page.offset > 0 else 0
    total = rows[0][-1]
    return ([row[0] for row in rows] if scalars else [tuple(row[:-1]) for row in rows]), total


async def _count(session: AsyncSession, statement: Select) -> int:
    return await session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0


async def _paginate_counting_apart(
    session: AsyncSession, statement: Select, page: PageParams, *, order_by: Sequence[Any], scalars: bool
) -> tuple[list, int]:
    total = await _count(session, statement)
    if total == 0 or page.offset >= total:
        return [], total
    ordered = statement.order_by(*order_by) if order_by else statement
    result = await session.execute(ordered.limit(page.limit).offset(page.offset))
    return (list(result.scalars()) if scalars else list(result.all())), total


_LIMIT, _OFFSET = "hub_page_limit", "hub_page_offset"


def item_columns(item_model: type[BaseModel], table) -> list:
    """The columns of ``table`` (a SQLAlchemy ``Table``) named as ``item_model``'s fields, in the model's order: what
    a :class:`PageQuery` selects. Raises KeyError naming a field the table has no column for."""
    return [table.c[name] for name in item_model.model_fields]


class PageQuery:
    """A list's page query, built once and run with parameters: ``statement`` ordered by ``order_by`` (a total order),
    each row carrying the total (``count(*) OVER ()``), LIMIT and OFFSET as bind parameters.

    Built once per shape of filters (keep it in a module-level cache), the statement object is the same on every
    request, so SQLAlchemy neither rebuilds it nor recomputes its cache key, its SQL is compiled once, and the SQL
    text psycopg sends is the same each time (psycopg prepares it on the server after a few runs). ``statement``
    selects plain columns (a ``Table``'s, not ORM entities), labelled as the item model's fields, and takes every
    value as a named :func:`~sqlalchemy.bindparam` given to :meth:`rows`.
    """

    def __init__(self, statement: Select, *, order_by: Sequence[Any]):
        counted = statement.order_by(*order_by).add_columns(func.count().over().label("hub_page_total"))
        self._page = counted.limit(bindparam(_LIMIT)).offset(bindparam(_OFFSET))
        self._count = select(func.count()).select_from(statement.order_by(None).subquery())

    async def rows(
        self, session: AsyncSession, page: PageParams, params: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], int]:
        """The page's rows as dicts (column label → value) and the total; a page past the end counts on its own."""
        result = await session.execute(self._page, {**params, _LIMIT: page.limit, _OFFSET: page.offset})
        names = list(result.keys())[:-1]
        rows = result.all()
        if not rows:
            return [], (await session.scalar(self._count, params) or 0) if page.offset > 0 else 0
        return [dict(zip(names, row, strict=False)) for row in rows], rows[0][-1]


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, items: Sequence[Any], total: int, page: PageParams, convert: Callable[[Any], Any] | None = None):
        """The page of ``items`` (converted by ``convert``, or validated from attributes by the item model)."""
        if convert is None:
            item_model = cls.model_fields["items"].annotation.__args__[0]  # list[ItemT] → ItemT
            convert = (
                item_model.model_validate
                if isinstance(item_model, type) and issubclass(item_model, BaseModel)
                else (lambda item: item)
            )
        return cls(items=[convert(item) for item in items], total=total, limit=page.limit, offset=page.offset)

    @classmethod
    def response(cls, items: Sequence[Any], total: int, page: PageParams) -> Response:
        """The page as a ready ``application/json`` response, the body FastAPI writes for a ``cls`` response model
        (fields by alias): ``items`` are dicts (from :meth:`PageQuery.rows`) or objects the item model reads by
        attribute. The route keeps ``response_model=cls`` for its documentation.

        Rows of our own query (dicts of the item model's fields, in its order, each value of its field's type) are
        written as they are, with no model built for each; anything else is validated by the page model first."""
        body = _rows_json(cls, items, total, page)
        if body is None:
            validated = cls.model_validate({"items": items, "total": total, "limit": page.limit, "offset": page.offset})
            body = validated.model_dump_json(by_alias=True).encode()
        return Response(body, media_type="application/json")


_ROW_WRITERS: dict[type, tuple[TypeAdapter, list[str]] | None] = {}


def _rows_json(page_model: type[Page], items: Sequence[Any], total: int, page: PageParams) -> bytes | None:
    """The page's JSON written straight from dict rows, or None when the rows must be validated first: not dicts of
    the item model's fields in its order, or a value not of its field's type (pydantic refuses to write it, where
    validation would have converted it, e.g. a Decimal for a float), or an item model that writes itself."""
    if page_model not in _ROW_WRITERS:
        _ROW_WRITERS[page_model] = _row_writer(page_model.model_fields["items"].annotation.__args__[0])
    writer = _ROW_WRITERS[page_model]
    if writer is None:
        return None
    adapter, names = writer
    if not all(type(item) is dict and [*item] == names for item in items):
        return None
    body = {"items": items, "total": total, "limit": page.limit, "offset": page.offset}
    try:
        return adapter.dump_json(body, by_alias=True, warnings="error")
    except PydanticSerializationError:
        return None


_DECORATORS = (
    "validators",
    "field_validators",
    "root_validators",
    "field_serializers",
    "model_serializers",
    "model_validators",
    "computed_fields",
)
# settings that change neither a valid value nor how it is written
_PLAIN_CONFIG = frozenset({"from_attributes", "populate_by_name", "validate_by_name", "validate_by_alias", "title"})


def _validates(metadata: Any) -> bool:
    return type(metadata).__module__ == "pydantic.functional_validators"


def _row_writer(item_model: Any) -> tuple[TypeAdapter, list[str]] | None:
    """A writer of pages whose items are dicts of ``item_model``'s fields (a TypedDict of the same fields, types
    and aliases), and the fields' names; None for an item model whose JSON is not only its fields' (serializers,
    computed or excluded fields, settings of how it writes JSON)."""
    if not (isinstance(item_model, type) and issubclass(item_model, BaseModel)):
        return None
    decorators = item_model.__pydantic_decorators__
    if (
        # validators that could change a value, serializers, computed fields
        any(getattr(decorators, kind) for kind in _DECORATORS)
        or not set(item_model.model_config) <= _PLAIN_CONFIG
        or any(field.exclude or any(map(_validates, field.metadata)) for field in item_model.model_fields.values())
    ):
        return None
    fields = {}
    for name, field in item_model.model_fields.items():
        alias = field.serialization_alias or field.alias
        metadata = [*field.metadata, *([Field(serialization_alias=alias)] if alias else [])]
        fields[name] = Annotated[(field.annotation, *metadata)] if metadata else field.annotation
    item = TypedDict(f"{item_model.__name__}Row", fields)  # noqa: UP013  (field names need not be identifiers)
    rows_page = TypedDict("RowsPage", {"items": list[item], "total": int, "limit": int, "offset": int})  # noqa: UP013
    return TypeAdapter(rows_page), list(fields)
