"""Database engine and the request's unit of work.

A request gets one session inside one transaction. Services add rows and record events on it and never commit; the
dependency commits once, before the response is sent, so a change and its outbox events land together or not at all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from messaging.postgres import libpq_url, sqlalchemy_url  # noqa: F401  (libpq_url: services reach it here)
from operational.kit.errors import HubError
from operational.kit.idempotency import mark_committed

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def service_base(schema: str) -> type[DeclarativeBase]:
    """A declarative base whose tables live in the service's own Postgres schema."""

    class Base(DeclarativeBase):
        metadata = MetaData(schema=schema, naming_convention=NAMING_CONVENTION)

    return Base


def create_engine(database_url: str, *, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        sqlalchemy_url(database_url), pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
    )


def session_factory(engine: AsyncEngine, *, info: dict | None = None) -> async_sessionmaker[AsyncSession]:
    """Sessions on ``engine``; each starts with a copy of ``info`` in ``session.info`` (an API puts its live
    updates there)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True, info=info)


async def _unit_of_work(request: Request) -> AsyncIterator[AsyncSession]:
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    async with sessions() as session:
        transaction = await session.begin()
        try:
            yield session
        except HubError as exc:
            if exc.keep_changes:
                await mark_committed(session)
                await transaction.commit()
            else:
                await transaction.rollback()
            raise
        except BaseException:
            await transaction.rollback()
            raise
        await mark_committed(session)
        await transaction.commit()


# scope="function": the commit happens before the response is sent, so a failed commit is an error response,
# never a 201 for a change that was not kept.
SessionDep = Annotated[AsyncSession, Depends(_unit_of_work, scope="function")]
