"""argon2id password hashing (parameters from settings, OWASP's recommendation as the floor)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


@lru_cache(maxsize=4)
def hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hash_password(ph: PasswordHasher, password: str) -> str:
    return ph.hash(password)


def verify_password(ph: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return ph.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Verified against when the e-mail is unknown, so a wrong address costs as long as a wrong password.
_DUMMY_PASSWORD = "not-a-real-password"


def dummy_hash(ph: PasswordHasher) -> str:
    return _dummy_hash_for(ph)


@lru_cache(maxsize=4)
def _dummy_hash_for(ph: PasswordHasher) -> str:
    return ph.hash(_DUMMY_PASSWORD)
