"""Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) and their secrets at rest.

Secrets are stored encrypted (AES-GCM) with a key from settings, so a copy of the database alone does not give
anyone a second factor.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
import time
from urllib.parse import quote

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

STEP_SECONDS = 30
DIGITS = 6


def new_secret() -> str:
    return base64.b32encode(os.urandom(20)).decode().rstrip("=")


def code_at(secret: str, unix_time: float) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int(unix_time // STEP_SECONDS))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def verify(secret: str, code: str, *, now: float | None = None, drift_steps: int = 1) -> bool:
    """Accept the current code and its neighbours (clocks on phones drift)."""
    now = time.time() if now is None else now
    code = code.strip().replace(" ", "")
    return any(
        hmac.compare_digest(code_at(secret, now + step * STEP_SECONDS), code)
        for step in range(-drift_steps, drift_steps + 1)
    )


def provisioning_uri(secret: str, *, account: str, issuer: str = "Hockey Hub") -> str:
    return (
        f"otpauth://totp/{quote(issuer)}:{quote(account)}?secret={secret}&issuer={quote(issuer)}"
        f"&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}"
    )


def encrypt_secret(secret: str, key: bytes) -> str:
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, secret.encode(), b"totp")).decode()


def decrypt_secret(stored: str, key: bytes) -> str:
    raw = base64.b64decode(stored)
    return AESGCM(key).decrypt(raw[:12], raw[12:], b"totp").decode()
