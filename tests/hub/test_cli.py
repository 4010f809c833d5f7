"""`hub` as a person runs it: a wrong setting is one clear line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

from hub.embedded import free_port
from tests.hub.processes import run_hub


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_unreachable_database_is_one_line_naming_it_without_the_password():
    closed_port = free_port()  # nothing listens there
    url = f"postgresql://hub:s3cret-password@127.0.0.1:{closed_port}/hockey_hub"
    result = run_hub("migrate", env={"HUB_DATABASE_URL": url})
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert line.startswith("hub: error: cannot connect to the database at ")
    assert f"127.0.0.1:{closed_port}/hockey_hub" in line
    assert "s3cret-password" not in line


def test_malformed_database_url_says_what_is_expected():
    result = run_hub("seed", env={"HUB_DATABASE_URL": "localhost:5432/hockey_hub"})
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "HUB_DATABASE_URL is not a database URL" in line
    assert "postgresql://" in line


def test_missing_database_url_points_to_hub_up():
    result = run_hub("seed")
    assert result.returncode == 1
    assert "HUB_DATABASE_URL is not set; `hub up` runs an embedded database" in _one_line(result.stderr)


def test_unreachable_nats_is_one_line(database_url):
    closed_port = free_port()
    result = run_hub(
        "worker", env={"HUB_DATABASE_URL": database_url, "HUB_NATS_URL": f"nats://127.0.0.1:{closed_port}"}
    )
    assert result.returncode == 1
    assert f"cannot connect to NATS at nats://127.0.0.1:{closed_port}" in _one_line(result.stderr)


def test_invalid_setting_names_the_variable():
    result = run_hub("up", env={"HUB_GATEWAY_PORT": "eighty"})
    assert result.returncode == 1
    assert _one_line(result.stderr).startswith("hub: error: invalid setting HUB_GATEWAY_PORT")


def test_events_replay_republishes_what_the_outboxes_sent(database_url, nats_server, gateway, club):
    from datetime import UTC, datetime, timedelta

    logged = gateway.post(
        "/api/v1/training/rpe-logs",
        json={
            "session_date": (datetime.now(UTC).date() - timedelta(days=1)).isoformat(),
            "rpe": 3,
            "duration_minutes": 20,
        },
        headers=club["player"].headers,
    )
    assert logged.status_code == 201
    _wait_until_sent(database_url, logged.json()["id"])
    since = (datetime.now(UTC) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S")
    result = run_hub(
        "events", "replay", "--since", since, env={"HUB_DATABASE_URL": database_url, "HUB_NATS_URL": nats_server.url}
    )
    assert result.returncode == 0, result.stderr
    count = int(result.stdout.split()[1])
    assert count >= 1, result.stdout

    bad = run_hub("events", "replay", "--since", "last tuesday", env={"HUB_DATABASE_URL": database_url})
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def _wait_until_sent(database_url: str, log_id: str, timeout: float = 20) -> None:
    import time

    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(database_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            sent = conn.execute(
                "SELECT sent_at IS NOT NULL FROM training.outbox WHERE envelope->>'subject_id' = %s", (log_id,)
            ).fetchone()
            if sent and sent[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the relay did not publish the event")


def test_hub_serve_does_not_take_forwarded_addresses_from_loopback(
    database_url, nats_server, key_dir, settings, tmp_path
):
    """uvicorn believes X-Forwarded-For from 127.0.0.1 unless told not to; `hub serve` tells it, so a client on this
    machine cannot give every failed sign-in a new made-up address."""
    import time

    import httpx

    from tests.factories import make_club

    port = free_port()
    env = {
        "HUB_DATABASE_URL": database_url,
        "HUB_NATS_URL": nats_server.url,
        "HUB_VAR_DIR": str(tmp_path),
        "HUB_JWT_PRIVATE_KEY_PATH": str(key_dir / "jwt_private.pem"),
        "HUB_JWT_PUBLIC_KEY_PATH": str(key_dir / "jwt_public.pem"),
        "HUB_USERS_ARGON2_MEMORY_KIB": str(19 * 1024),
        "HUB_LOG_JSON": "false",
    }
    base = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "hub", "serve", "gateway", "--host", "127.0.0.1", "--port", str(port)],
        env={**base, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        club = make_club(settings, spares=6)
        names = [n for n in club.people if n.startswith("spare")] + ["coach", "admin", "medic", "parent"]
        limit = settings.login_max_failures_per_address
        statuses = [
            httpx.post(
                f"{url}/api/v1/auth/login",
                json={"email": club[name].email, "password": "nope"},
                headers={"X-Forwarded-For": f"198.51.100.{i + 1}"},
                timeout=30,
            ).status_code
            for i, name in enumerate(names * 3)
        ]
        # failures of earlier tests from 127.0.0.1 may lock it sooner, never later
        locked_at = statuses.index(429)
        assert locked_at <= limit and set(statuses[locked_at:]) == {429}
    finally:
        server.terminate()
        server.wait(timeout=20)
