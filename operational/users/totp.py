"""Time-based one-time passwords (RFC 6238 via pyotp: HMAC-SHA1, 6 digits, 30-second steps) and their secrets at rest.

A code is accepted once: :func:`matching_step` tells which time step a code belongs to, and the caller refuses a step
at or before the last one it accepted for that person (RFC 6238 §5.2), so a code seen over a shoulder or in a log
cannot sign in a second time within its 30 seconds.

Secrets are stored encrypted (AES-GCM) with a key from settings, so a copy of the database alone does not give
anyone a second factor.
"""

from __future__ import annotations

import base64
import hmac
import os
import time
from datetime import UTC, datetime

import pyotp
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

STEP_SECONDS = 30
DIGITS = 6
ISSUER = "Hockey Hub"


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)


def new_secret() -> str:
    return pyotp.random_base32(32)


def step_at(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def code_at(secret: str, unix_time: float) -> str:
    return _totp(secret).at(datetime.fromtimestamp(unix_time, UTC))


def matching_step(secret: str, code: str, *, now: float | None = None, drift_steps: int = 1) -> int | None:
    """The time step ``code`` is valid for (the current one or a neighbour: phone clocks drift), or None."""
    now = time.time() if now is None else now
    code = code.strip().replace(" ", "")
    current = step_at(now)
    generator = _totp(secret)
    found = None
    for step in range(current - drift_steps, current + drift_steps + 1):
        # every candidate is compared, so the time taken does not tell which step matched
        if hmac.compare_digest(generator.generate_otp(step), code) and found is None:
            found = step
    return found


def provisioning_uri(secret: str, *, account: str, issuer: str = ISSUER) -> str:
    return _totp(secret).provisioning_uri(name=account, issuer_name=issuer)


def encrypt_secret(secret: str, key: bytes) -> str:
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, secret.encode(), b"totp")).decode()


def decrypt_secret(stored: str, key: bytes) -> str:
    raw = base64.b64decode(stored)
    return AESGCM(key).decrypt(raw[:12], raw[12:], b"totp").decode()
