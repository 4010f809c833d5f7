"""A worker process for the transfer kill tests: it drives one transfer and kills itself (SIGKILL, as ``kill -9``
would) when the saga reaches the point ``kill_at``, leaving whatever the database holds at that instant. A step
reaching ``fail_at`` (optional) fails for good first, so the kill can land in the compensation.

    python -m tests.operational.payments.transfer_worker <database url> <transfer id> <kill_at> [<fail_at>]
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import uuid

from operational.kit.db import create_engine
from operational.kit.errors import InvalidValue
from operational.payments.config import PaymentsSettings
from operational.payments.transfers.service import drive


def main(database_url: str, transfer_id: str, kill_at: str, fail_at: str | None = None) -> None:
    def checkpoint(point: str) -> None:
        if point == fail_at:
            raise InvalidValue(f"Refused at {point}.")
        if point == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    async def go() -> None:
        engine = create_engine(database_url, pool_size=2)
        try:
            await drive(engine, PaymentsSettings(), uuid.UUID(transfer_id), checkpoint)
        finally:
            await engine.dispose()

    asyncio.run(go())


if __name__ == "__main__":
    main(*sys.argv[1:5])
