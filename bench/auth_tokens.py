"""Cost of identity on every request: verifying an access token, and hashing a password at sign-in.

Token verification is paired with a bare Ed25519 signature check of the same token (the floor any JWT library can
reach); password hashing with OWASP's minimum argon2id parameters. Both measured in this run, on this machine.
"""

from __future__ import annotations

import base64
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from argon2 import PasswordHasher
from cryptography.hazmat.primitives import serialization

from bench.results import write_result
from operational.kit.auth import Principal, generate_key_pair, issue_access_token, verify_access_token
from operational.users.config import UsersSettings

VERIFY_ROUNDS = 5000
HASH_ROUNDS = 12


def _median_us(fn, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - started)
    return statistics.median(samples) / 1000


def main() -> dict:
    keys = Path(tempfile.mkdtemp(prefix="bench-keys-"))
    private_path, public_path = generate_key_pair(keys)
    private_pem, public_pem = private_path.read_bytes(), public_path.read_bytes()
    principal = Principal(
        user_id=uuid.uuid4(), org_id=uuid.uuid4(), roles=frozenset({"coach"}), team_ids=frozenset({uuid.uuid4()})
    )
    token = issue_access_token(principal, private_key_pem=private_pem, issuer="hockey-hub", audience="hockey-hub")
    public_key = serialization.load_pem_public_key(public_pem)
    signing_input, _, signature_b64 = token.rpartition(".")
    signature = base64.urlsafe_b64decode(signature_b64 + "=" * (-len(signature_b64) % 4))

    def verify() -> None:
        verify_access_token(token, public_key_pem=public_pem, issuer="hockey-hub", audience="hockey-hub")

    def bare_signature_check() -> None:
        public_key.verify(signature, signing_input.encode())

    for _ in range(500):  # warm caches
        verify()
    verify_us = _median_us(verify, VERIFY_ROUNDS)
    baseline_us = _median_us(bare_signature_check, VERIFY_ROUNDS)

    settings = UsersSettings(jwt_private_key_path=private_path, jwt_public_key_path=public_path)
    chosen = PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )
    owasp_floor = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
    hash_ms = _median_us(lambda: chosen.hash("correct horse battery staple"), HASH_ROUNDS) / 1000
    floor_ms = _median_us(lambda: owasp_floor.hash("correct horse battery staple"), HASH_ROUNDS) / 1000

    result = {
        "token_verify_median_us": round(verify_us, 1),
        "bare_ed25519_verify_median_us": round(baseline_us, 1),
        "verify_vs_bare_ratio": round(verify_us / baseline_us, 2),
        "argon2id_parameters": {
            "time_cost": settings.argon2_time_cost,
            "memory_kib": settings.argon2_memory_kib,
            "parallelism": settings.argon2_parallelism,
        },
        "argon2id_hash_median_ms": round(hash_ms, 1),
        "owasp_floor_hash_median_ms": round(floor_ms, 1),
        "hash_vs_floor_ratio": round(hash_ms / floor_ms, 2),
    }
    rows = [
        ("access token verify (EdDSA JWT + claims)", f"{verify_us:.1f} µs", "target: well under 1000 µs"),
        ("bare Ed25519 signature check (baseline)", f"{baseline_us:.1f} µs", f"ratio {verify_us / baseline_us:.2f}×"),
        (
            f"argon2id hash t={settings.argon2_time_cost} m={settings.argon2_memory_kib // 1024} MiB "
            f"p={settings.argon2_parallelism}",
            f"{hash_ms:.1f} ms",
            f"{hash_ms / floor_ms:.2f}× the OWASP floor",
        ),
        ("argon2id hash at OWASP floor t=2 m=19 MiB p=1", f"{floor_ms:.1f} ms", "baseline"),
    ]
    width = max(len(r[0]) for r in rows)
    print("auth_tokens")
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>10}  {note}")
    write_result("auth_tokens", result)
    return result


if __name__ == "__main__":
    main()
