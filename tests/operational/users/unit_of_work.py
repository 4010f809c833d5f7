"""Running service functions in one committed transaction of their own, as a request's unit of work does."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from operational.kit.db import session_factory, sqlalchemy_url


async def in_transaction(settings, work):
    engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
    try:
        async with session_factory(engine)() as session, session.begin():
            return await work(session)
    finally:
        await engine.dispose()
