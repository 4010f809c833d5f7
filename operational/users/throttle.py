"""Sign-in throttling per account and per client address (a sliding window of failures).

A failure is recorded on the request's session and the sign-in fails with ``keep_changes``, so the count survives the
failed request. Once an account has used up its failures, even the right password is refused until the window has
passed, so a guessing attacker cannot learn when they got it right.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.errors import HubError
from operational.users import repository
from operational.users.config import UsersSettings


class TooManyAttempts(HubError):
    status_code = 429
    code = "too_many_attempts"


def _limits(settings: UsersSettings, email: str, client_address: str | None) -> dict[str, int]:
    limits = {f"account:{email.strip().lower()}": settings.login_max_failures_per_account}
    if client_address:
        limits[f"address:{client_address}"] = settings.login_max_failures_per_address
    return limits


async def ensure_allowed(session: AsyncSession, settings: UsersSettings, email: str, client_address: str | None):
    limits = _limits(settings, email, client_address)
    now = datetime.now(UTC)
    window = timedelta(seconds=settings.login_window_seconds)
    failures = await repository.failures_since(session, list(limits), now - window)
    for key, limit in limits.items():
        count, oldest = failures.get(key, (0, now))
        if count >= limit:
            retry_after = max(1, math.ceil((oldest + window - now).total_seconds()))
            what = "this account" if key.startswith("account:") else "your network address"
            raise TooManyAttempts(
                f"Too many failed sign-ins for {what}; try again in {retry_after} seconds.",
                headers={"Retry-After": str(retry_after)},
            )


async def record_failure(session: AsyncSession, settings: UsersSettings, email: str, client_address: str | None):
    await repository.record_failures(session, list(_limits(settings, email, client_address)), datetime.now(UTC))


async def forget_account_failures(session: AsyncSession, settings: UsersSettings, email: str) -> None:
    """A successful sign-in clears the account's failures (and prunes everyone's expired ones)."""
    cutoff = datetime.now(UTC) - timedelta(seconds=settings.login_window_seconds)
    await repository.forget_failures(session, [f"account:{email.strip().lower()}"], cutoff)
