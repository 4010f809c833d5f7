"""A GET's session opens no transaction for plain reads, and opens one at its first write: what it writes is then
committed or rolled back together, as in any other request."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import text

from operational.kit.db import create_engine, lazy_transactions, reads_only, session_factory

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
