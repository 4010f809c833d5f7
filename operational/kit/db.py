"""Database engine and the request's unit of work.

A request gets one session inside one transaction. Services add rows and record events on it and never commit; the
dependency commits once, before the response is sent, so a change and its outbox events land together or not at all.

A GET (or HEAD) starts no transaction until it writes: its plain SELECTs run in autocommit, which saves the BEGIN and
COMMIT round trips of a read, and the first statement that is anything else (an INSERT, a locking read, an advisory
lock, a function that may write) opens the transaction the rest of the request then runs in, committed or rolled back
as any other; a GET that wrote nothing is closed, not committed. At the default READ COMMITTED isolation every statement
sees its own snapshot either way, so a read sees what it would have seen inside a transaction.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import MetaData, event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.util import await_only

from messaging.postgres import libpq_url, sqlalchemy_url  # noqa: F401  (libpq_url: services reach it here)
from operational.kit.errors import HubError
from operational.kit.idempotency import mark_committed
from shared_settings import DEFAULT_DATABASE_POOL_SIZE, pool_connections, read_pool_size

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


# A pooled connection older than this is replaced at its next checkout (before a server or proxy timeout drops it).
POOL_RECYCLE_SECONDS = 1800


def create_engine(
    database_url: str,
    *,
    pool_size: int = DEFAULT_DATABASE_POOL_SIZE,
    pre_ping: bool = False,
    lazy: bool = False,
) -> AsyncEngine:
    """The pool of a process: ``pool_size`` connections kept, up to ``pool_connections(pool_size)`` under load. An API
    passes ``HUB_DATABASE_POOL_SIZE`` (``settings.database_pool_size``). An API pings no connection before a checkout
    (a round trip on every request; the worker, which never answers a user, does: ``pre_ping``): a connection the
    server dropped fails its statement as a disconnect, upon which SQLAlchemy discards every connection pooled before
    it, so one request fails (500) after a database restart and the next ones get fresh connections; connections are
    renewed every ``POOL_RECYCLE_SECONDS`` meanwhile.

    ``lazy``: a pool whose connections are in autocommit for good, for sessions that begin a transaction only when
    they first write (see the module's docstring and :func:`lazy_transactions`)."""
    engine = create_async_engine(
        sqlalchemy_url(database_url),
        pool_size=pool_size,
        max_overflow=pool_connections(pool_size) - pool_size,
        pool_recycle=POOL_RECYCLE_SECONDS,
        pool_pre_ping=pre_ping,
        **({"isolation_level": "AUTOCOMMIT"} if lazy else {}),
    )
    if lazy:
        event.listen(engine.sync_engine, "before_cursor_execute", _begin_before_first_write)
    return engine


# What runs without a transaction: a SELECT that neither locks, nor creates a table (SELECT ... INTO), nor calls a
# function that may write or takes a lock for the transaction (a schema-qualified function is the project's own; the
# rest are Postgres's with side effects: every advisory lock, pg_try_ ones included, sequences, settings, large
# objects, a transaction id, another backend). Anything else opens the transaction: a false alarm costs one BEGIN.
_STARTS_AS_READ = re.compile(r"\s*(SELECT|SHOW)\b", re.IGNORECASE)
_MAY_WRITE = re.compile(
    r"\bFOR\s+(UPDATE|NO\s+KEY\s+UPDATE|SHARE|KEY\s+SHARE)\b|\bINTO\b"
    r"|\bpg_\w*advisory|\bpg_notify|\bnextval|\bsetval|\bset_config|\blo_\w+\s*\(|\btxid_current|\bpg_current_xact_id"
    r"|\bpg_terminate_backend|\bpg_cancel_backend"
    r"|\b[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*\s*\(",
    re.IGNORECASE,
)
_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE: no transaction open on the connection


@lru_cache(maxsize=2048)  # the same SQL texts come back on every request; the scan took 0.1 ms a long statement
def reads_only(statement: str) -> bool:
    """True for SQL that can run outside a transaction without changing what it does (see the module's docstring)."""
    return _STARTS_AS_READ.match(statement) is not None and _MAY_WRITE.search(statement) is None


def _begin_before_first_write(conn, cursor, statement, parameters, context, executemany) -> None:
    if reads_only(statement):
        return
    driver_connection = conn.connection.driver_connection  # psycopg's AsyncConnection
    if driver_connection.info.transaction_status == _IDLE:
        # the connection is in autocommit: psycopg's commit() and rollback() end this transaction like any other
        await_only(driver_connection.execute("BEGIN"))


def lazy_transactions(engine: AsyncEngine) -> AsyncEngine:
    """A pool of its own on ``engine``'s database, half as large (:func:`read_pool_size` of ``engine``'s pool size,
    so ``HUB_DATABASE_POOL_SIZE`` sets both), for sessions that begin a transaction only when they first write (GET
    requests); dispose of it with ``engine``. Its connections are in autocommit from the moment they open: nothing
    switches a connection's mode at each checkout and back at each return. Half: a read holds its connection for one
    short statement, and an API process's connections (``shared_settings.connections_per_api_process``, 30 at the
    default size)
    count against Postgres's ``max_connections`` together with every other process's (hub/connections.py)."""
    return create_engine(
        engine.url.render_as_string(hide_password=False),
        pool_size=read_pool_size(engine.sync_engine.pool.size()),
        lazy=True,
    )


def session_factory(engine: AsyncEngine, *, info: dict | None = None) -> async_sessionmaker[AsyncSession]:
    """Sessions on ``engine``; each starts with a copy of ``info`` in ``session.info`` (an API puts its live
    updates there)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True, info=info)


READ_METHODS = frozenset({"GET", "HEAD"})


async def _unit_of_work(request: Request) -> AsyncIterator[AsyncSession]:
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    read_engine = getattr(request.app.state, "read_engine", None)
    if read_engine is not None and request.method in READ_METHODS:
        # A GET's session on the autocommit pool is committed only if the request wrote (see _wrote). A read is
        # closed instead: the ORM transaction a commit walks through has nothing to end there, and closing hands
        # the connection back to the pool all the same.
        async with sessions(bind=read_engine) as session:
            try:
                yield session
            except HubError as exc:
                if exc.keep_changes and await session.run_sync(_wrote):
                    await mark_committed(session)
                    await session.commit()
                elif session.in_transaction():
                    await session.rollback()
                raise
            except BaseException:
                if session.in_transaction():
                    await session.rollback()
                raise
            if session.in_transaction() and await session.run_sync(_wrote):
                await mark_committed(session)
                await session.commit()
        return
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


def _wrote(session: Session) -> bool:
    """True if ``session``, of the autocommit pool and in its ORM transaction, has something to commit: changes not
    flushed yet, someone waiting for the commit (live updates), or a statement that opened the database
    transaction (see :func:`_begin_before_first_write`)."""
    if session.new or session.deleted or session.dirty or session.dispatch.after_commit:
        return True
    driver_connection = session.connection().connection.driver_connection
    return driver_connection.info.transaction_status != _IDLE


# scope="function": the commit happens before the response is sent, so a failed commit is an error response,
# never a 201 for a change that was not kept.
SessionDep = Annotated[AsyncSession, Depends(_unit_of_work, scope="function")]
