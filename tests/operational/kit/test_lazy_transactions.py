"""A GET's session opens no transaction for plain reads, and opens one at its first write: what it writes is then
committed or rolled back together, as in any other request."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from psycopg.pq import TransactionStatus
from sqlalchemy import Column, Table, Text, event, text
from sqlalchemy.orm import DeclarativeBase

from operational.kit.db import SessionDep, create_engine, lazy_transactions, reads_only, session_factory
from operational.kit.errors import HubError

PROBE = "public.hub_lazy_transaction_probe"


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("SELECT id, total FROM training.session_rpe_logs WHERE org_id = %(org_id)s LIMIT 50", True),
        ("  select count(*) OVER () AS total FROM users.users", True),
        ("SHOW transaction_isolation", True),
        ("SELECT * FROM training.team_settings WHERE team_id = %s FOR UPDATE", False),
        ("SELECT * FROM training.team_settings FOR NO KEY UPDATE", False),
        ("SELECT pg_advisory_xact_lock(hashtext(%(key)s))", False),
        ("SELECT pg_notify(%(channel)s, '')", False),
        ("SELECT pg_try_advisory_xact_lock(hashtext(%(key)s))", False),  # the lock would end with the statement
        ("SELECT id INTO TEMP copied FROM training.session_rpe_logs", False),  # creates a table
        ("SELECT nextval('payments.invoice_number')", False),
        ("SELECT lo_unlink(%(oid)s)", False),
        ("SELECT txid_current()", False),
        ("SELECT pg_terminate_backend(%(pid)s)", False),
        ("SELECT id FROM payments.invoices WHERE memo = %(intolerance)s", True),  # a name that merely starts with into
        ("SELECT medical.verify_access_log(%(club)s)", False),  # the project's own function may write
        ("INSERT INTO training.outbox (event_id) VALUES (%s)", False),
        ("WITH moved AS (DELETE FROM x RETURNING *) SELECT * FROM moved", False),
        ("UPDATE hub_kit.idempotency_keys SET state = 'committed'", False),
    ],
)
def test_only_plain_reads_run_outside_a_transaction(statement, expected):
    assert reads_only(statement) is expected


def test_a_read_opens_no_transaction_and_the_first_write_opens_one_that_ends_as_a_whole(settings):
    async def scenario() -> None:
        engine = create_engine(settings.database_url, pool_size=1)
        async with engine.begin() as conn:
            await conn.execute(text(f"CREATE TABLE IF NOT EXISTS {PROBE} (tag text NOT NULL)"))
        sessions, lazy = session_factory(engine), lazy_transactions(engine)
        tag = uuid.uuid4().hex
        insert = text(f"INSERT INTO {PROBE} (tag) VALUES (:tag)")

        async def count() -> int:
            async with engine.connect() as conn:
                counted = await conn.execute(text(f"SELECT count(*) FROM {PROBE} WHERE tag = :tag"), {"tag": tag})
                return counted.one()[0]

        try:
            async with sessions(bind=lazy) as session:
                transaction = await session.begin()
                await session.execute(text("SELECT 1"))
                driver = (await session.connection()).sync_connection.connection.driver_connection
                assert driver.info.transaction_status == TransactionStatus.IDLE  # the read opened nothing
                await session.execute(insert, {"tag": tag})
                assert driver.info.transaction_status == TransactionStatus.INTRANS
                await session.execute(insert, {"tag": tag})
                assert await count() == 0  # not visible before the commit: one transaction
                await transaction.rollback()
            assert await count() == 0  # both writes rolled back together

            async with sessions(bind=lazy) as session:
                transaction = await session.begin()
                await session.execute(insert, {"tag": tag})
                await session.execute(insert, {"tag": tag})
                await transaction.commit()
            assert await count() == 2

            async with sessions() as session:  # the pool of writes: its connections begin a transaction at once
                await session.begin()
                driver = (await session.connection()).sync_connection.connection.driver_connection
                assert driver.autocommit is False
                await session.execute(text("SELECT 1"))
                assert driver.info.transaction_status == TransactionStatus.INTRANS
                await session.rollback()
        finally:
            await lazy.dispose()
            await engine.dispose()

    asyncio.run(scenario())


def test_a_get_that_writes_is_committed_as_a_whole_and_a_get_that_only_reads_is_not(settings):
    """Through the request's unit of work: a GET's session commits what it wrote (a flushed or a pending row), fires
    what waits for its commit, rolls back a refused request's writes unless the refusal keeps them, and ends a read
    with nothing to commit."""
    app = FastAPI()
    insert = text(f"INSERT INTO {PROBE} (tag) VALUES (:tag)")
    committed: list[str] = []

    class Probe(DeclarativeBase):
        pass

    class ProbeRow(Probe):
        __table__ = Table("hub_lazy_transaction_probe", Probe.metadata, Column("tag", Text, primary_key=True))

    @app.get("/write/{tag}")
    async def write(tag: str, session: SessionDep) -> dict:
        await session.execute(insert, {"tag": tag})
        return {}

    @app.get("/add/{tag}")
    async def add(tag: str, session: SessionDep) -> dict:
        session.add(ProbeRow(tag=tag))  # not flushed: the commit flushes it
        return {}

    @app.get("/refuse/{tag}")
    async def refuse(tag: str, session: SessionDep, keep: bool = False) -> dict:
        await session.execute(insert, {"tag": tag})
        raise HubError("refused", keep_changes=keep)

    @app.get("/wait-for-commit/{tag}")
    async def wait_for_commit(tag: str, session: SessionDep) -> dict:
        await session.execute(text("SELECT 1"))
        event.listen(session.sync_session, "after_commit", lambda _s: committed.append(tag), once=True)
        return {}

    @app.get("/read")
    async def read(session: SessionDep) -> dict:
        await session.execute(text("SELECT 1"))
        event.listen(session.sync_session, "before_commit", lambda _s: committed.append("read"))
        return {"in_transaction": session.in_transaction()}

    @app.exception_handler(HubError)
    async def refused(_request, exc: HubError) -> JSONResponse:
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code)

    async def scenario() -> None:
        engine = create_engine(settings.database_url, pool_size=2)
        async with engine.begin() as conn:
            await conn.execute(text(f"CREATE TABLE IF NOT EXISTS {PROBE} (tag text NOT NULL)"))
        app.state.sessions, app.state.read_engine = session_factory(engine), lazy_transactions(engine)
        tags = {name: uuid.uuid4().hex for name in ("write", "add", "refused", "kept", "waited")}

        async def count(tag: str) -> int:
            async with engine.connect() as conn:
                counted = await conn.execute(text(f"SELECT count(*) FROM {PROBE} WHERE tag = :tag"), {"tag": tag})
                return counted.one()[0]

        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://test") as client:
                assert (await client.get(f"/write/{tags['write']}")).status_code == 200
                assert (await client.get(f"/add/{tags['add']}")).status_code == 200
                assert (await client.get(f"/refuse/{tags['refused']}")).status_code == 422
                assert (await client.get(f"/refuse/{tags['kept']}", params={"keep": "true"})).status_code == 422
                assert (await client.get(f"/wait-for-commit/{tags['waited']}")).status_code == 200
                read = await client.get("/read")
                assert read.json() == {"in_transaction": True}
            assert [await count(tags[name]) for name in ("write", "add", "refused", "kept")] == [1, 1, 0, 1]
            assert committed == [tags["waited"]]  # the read's session was closed, not committed
        finally:
            await app.state.read_engine.dispose()
            await engine.dispose()

    asyncio.run(scenario())
