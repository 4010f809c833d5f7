"""`hub backup` then `hub restore` into a fresh var/: the demo club comes back row for row (users, sessions, medical
records), its logins still work, a medical document still decrypts, and the warehouse holds the same events."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import duckdb
import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.embedded import ensure_database, start_postgres
from hub.seed import DEMO_PASSWORD, seed_demo_club
from operational.kit.auth import generate_key_pair
from operational.kit.migrations import upgrade_all
from operational.users.config import UsersSettings
from tests.hub.processes import run_hub
from tests.messaging import private_nats
from tests.operational.kit.events import rpe_logged_event
from warehouse.raw import ensure_raw_schema, load_events

PDF = b"%PDF-1.7\nMRI report: grade 2 strain of the adductor longus\n%%EOF\n"
MEDIC = "medical@northside.example.org"
# rows whose content a restore changes on purpose: the outboxes' sent marks (the events go out again)
USER_TABLES = """
    SELECT schemaname, tablename FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tablename <> 'outbox'
    ORDER BY 1, 2
"""


@contextmanager
def _embedded_database(var_dir: Path) -> Iterator[str]:
    server = start_postgres(var_dir / "postgres")
    try:
        yield ensure_database(server.url, "hockey_hub")
    finally:
        server.stop()


def _fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Per table: row count and an md5 over its rows in a stable order."""
    with psycopg.connect(url) as conn:
        tables = conn.execute(USER_TABLES).fetchall()
        return {
            f"{schema}.{table}": conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f'FROM "{schema}"."{table}" t'
            ).fetchone()
            for schema, table in tables
        }


def _login(api: TestClient, email: str) -> dict[str, str]:
    response = api.post("/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _settings(var_dir: Path, database_url: str, nats_url: str) -> UsersSettings:
    return UsersSettings(database_url=database_url, nats_url=nats_url, var_dir=var_dir, log_json=False,
                         argon2_memory_kib=19 * 1024)  # fmt: skip


@pytest.fixture
def work() -> Iterator[Path]:
    # short paths of their own: Postgres' socket lives in its data directory
    directory = Path(tempfile.mkdtemp(prefix="hub-bk-"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def test_backup_and_restore_bring_back_the_demo_club(work):
    source, target, archive = work / "a", work / "b", work / "hub.tar.gz"
    event = rpe_logged_event(uuid.uuid4())
    with private_nats() as nats, _embedded_database(source) as source_url:
        upgrade_all(source_url)
        generate_key_pair(source / "keys")
        assert asyncio.run(seed_demo_club(_settings(source, source_url, nats.url))).created
        from operational.gateway import create_app

        with TestClient(create_app(_settings(source, source_url, nats.url))) as api:
            medic = _login(api, MEDIC)
            problem = api.get("/api/v1/medical/problems", headers=medic).json()["items"][0]
            uploaded = api.post(f"/api/v1/medical/problems/{problem['id']}/documents",
                                files={"file": ("mri.pdf", PDF, "application/pdf")}, headers=medic)  # fmt: skip
            assert uploaded.status_code == 201, uploaded.text
        (source / "warehouse").mkdir()
        with closing(duckdb.connect(str(source / "warehouse" / "hub.duckdb"))) as warehouse:
            ensure_raw_schema(warehouse)
            load_events(warehouse, [event], load_id="before the backup")
        before = _fingerprint(source_url)

        backed_up = run_hub("backup", str(archive), env={"HUB_VAR_DIR": str(source)})
        assert backed_up.returncode == 0, backed_up.stderr
        assert archive.stat().st_mode & 0o777 == 0o600  # it holds the keys
        restored = run_hub("restore", str(archive), env={"HUB_VAR_DIR": str(target)})
        assert restored.returncode == 0, restored.stderr
        assert "start it with `hub up`" in restored.stdout

        with _embedded_database(target) as target_url:
            assert _fingerprint(target_url) == before
            assert before["users.users"][0] >= 10 and before["training.session_rpe_logs"][0] > 100
            assert before["medical.documents"][0] == 1 and before["medical.health_problems"][0] >= 1
            with psycopg.connect(target_url) as conn:
                unsent = conn.execute("SELECT count(*) FROM users.outbox WHERE sent_at IS NULL").fetchone()[0]
            assert unsent > 0  # kept events go out again to the new, empty stream
            with TestClient(create_app(_settings(target, target_url, nats.url))) as api:
                document = api.get(f"/api/v1/medical/documents/{uploaded.json()['id']}", headers=_login(api, MEDIC))
                assert document.status_code == 200 and document.content == PDF
    assert sorted(p.name for p in (target / "keys").iterdir()) == sorted(p.name for p in (source / "keys").iterdir())
    with closing(duckdb.connect(str(target / "warehouse" / "hub.duckdb"), read_only=True)) as warehouse:
        assert warehouse.execute("SELECT event_id, load_id FROM raw.events").fetchall() == [
            (str(event.event_id), "before the backup")
        ]

    again = run_hub("restore", str(archive), env={"HUB_VAR_DIR": str(target)})
    assert again.returncode == 1
    assert again.stderr.startswith("hub: error: restore needs a fresh HUB_VAR_DIR; found ")


def test_restoring_something_that_is_not_a_backup_says_so_and_writes_nothing(work):
    not_a_backup = work / "notes.tar.gz"
    not_a_backup.write_bytes(b"meeting notes, not an archive")
    target = work / "fresh"

    result = run_hub("restore", str(not_a_backup), env={"HUB_VAR_DIR": str(target)})

    assert result.returncode == 1
    assert result.stderr.startswith(f"hub: error: {not_a_backup} is not a Hockey Hub backup")
    assert not target.exists() or not any(target.iterdir())
