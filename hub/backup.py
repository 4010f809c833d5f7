"""``hub backup`` and ``hub restore``: the whole state of a Hockey Hub in one archive, and back.

The archive (a gzipped tar) holds:

- ``postgres/hockey_hub.dump``: every service's schema and rows, from ``pg_dump --format=custom`` (one database,
  a schema per service), taken in one transaction, so it is consistent while the system runs;
- ``keys/``: everything under ``var/keys`` (token signing keys, the key that wraps each player's document key, the
  dashboards' proxy secret) — without them tokens and medical documents could not be read after a restore;
- ``medical-documents/``: the encrypted medical documents when they are kept in a local directory (in S3 they are
  the bucket's to keep);
- ``warehouse/hub.duckdb``: the warehouse, copied through one DuckDB read transaction (``COPY FROM DATABASE``),
  so a build running meanwhile is either in it whole or not at all;
- ``manifest.json``: when, from where, and what is inside.

The NATS stream is not in it: a restore starts with an empty stream, and marks the events the outboxes still keep
as unsent, so the worker publishes them again and every consumer gets whatever was in flight at backup time (each
skips the events it had already handled).

``pg_dump``/``pg_restore`` are those of the embedded Postgres (pgserver), also used against an external server
(HUB_DATABASE_URL).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from hub.errors import HubError, first_line, redacted
from hub.settings import RuntimeSettings

FORMAT_VERSION = 1
DATABASE_NAME = "hockey_hub"  # the embedded runtime's database (hub/runtime.py)
DUMP_NAME = f"postgres/{DATABASE_NAME}.dump"
WAREHOUSE_NAME = "warehouse/hub.duckdb"
# The pipeline holds the warehouse's write lock during a pass; a backup waits this long for a gap between passes.
WAREHOUSE_WAIT_SECONDS = 60.0


def _postgres_binary(name: str) -> str:
    from pgserver._commands import POSTGRES_BIN_PATH

    return str(Path(POSTGRES_BIN_PATH) / name)


def _run(argv: list[str], what: str) -> None:
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        detail = first_line(Exception(result.stderr or result.stdout or f"exit code {result.returncode}"))
        raise HubError(f"{what} failed: {detail}")


@contextlib.contextmanager
def _database(settings: RuntimeSettings, *, must_exist: bool) -> Iterator[str]:
    """The URL of the system's database: HUB_DATABASE_URL, or the embedded server under var/ (started for the
    command if ``hub up`` is not running, and stopped again after it)."""
    if external := settings.external_database_url:
        yield external
        return
    from sqlalchemy.engine import make_url

    from hub.embedded import ensure_database, start_postgres

    data_dir = settings.var_path / "postgres"
    if must_exist and not (data_dir / "PG_VERSION").exists():
        raise HubError(
            f"there is no database in {settings.var_path} to back up (start `hub up` once, or set HUB_VAR_DIR)"
        )
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its fallback works fine
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        server = start_postgres(data_dir)
    try:
        url = make_url(server.url).set(database=DATABASE_NAME).render_as_string(hide_password=False)
        yield url if must_exist else ensure_database(server.url, DATABASE_NAME)
    finally:
        server.stop()  # only stops it when no other process (a running hub up) holds it


def _documents_dir(settings: RuntimeSettings) -> Path | None:
    """The local directory of the encrypted medical documents, or None when they are kept in S3."""
    from operational.medical.config import MedicalSettings

    medical = MedicalSettings(var_dir=settings.var_path)
    if medical.document_storage != "local":
        return None
    return (medical.documents_dir or settings.var_path / "medical-documents").absolute()


def _copy_warehouse(source: Path, target: Path) -> None:
    import duckdb

    deadline = time.monotonic() + WAREHOUSE_WAIT_SECONDS
    with contextlib.closing(duckdb.connect(":memory:")) as conn:
        while True:
            try:
                conn.execute(f"ATTACH '{source}' AS warehouse (READ_ONLY)")
                break
            except duckdb.IOException as exc:  # the pipeline is writing
                if time.monotonic() > deadline:
                    raise HubError(
                        f"the warehouse {source} stayed locked for {WAREHOUSE_WAIT_SECONDS:g}s: {first_line(exc)}"
                    ) from None
                time.sleep(0.5)  # between attempts at a lock another process holds; bounded by the deadline
        conn.execute(f"ATTACH '{target}' AS backup_copy")
        conn.execute("COPY FROM DATABASE warehouse TO backup_copy")
        conn.execute("DETACH backup_copy")
        conn.execute("DETACH warehouse")


def backup(settings: RuntimeSettings, archive: Path, say: Callable[[str], None]) -> dict:
    """Write the archive; return its manifest. Nothing is written at ``archive`` unless the whole backup worked."""
    archive = archive.absolute()
    if archive.exists():
        raise HubError(f"{archive} exists already; choose a new file name")
    keys_dir = settings.var_path / "keys"
    documents_dir = _documents_dir(settings)
    warehouse = settings.duckdb_path
    with tempfile.TemporaryDirectory(prefix="hub-backup-") as work_name:
        work = Path(work_name)
        (work / "postgres").mkdir()
        with _database(settings, must_exist=True) as url:
            _run([_postgres_binary("pg_dump"), "--format=custom", "--no-owner", f"--file={work / DUMP_NAME}",
                  f"--dbname={url}"], f"pg_dump of {redacted(url)}")  # fmt: skip
        say(f"  database   {redacted(url)}")
        contents = [DUMP_NAME]
        if keys_dir.is_dir():
            shutil.copytree(keys_dir, work / "keys")
            contents.append("keys/")
            say(f"  keys       {keys_dir} ({sum(1 for p in keys_dir.iterdir() if p.is_file())} files)")
        if documents_dir is not None and documents_dir.is_dir():
            shutil.copytree(documents_dir, work / "medical-documents")
            contents.append("medical-documents/")
            say(f"  documents  {documents_dir}")
        if warehouse.exists():
            (work / "warehouse").mkdir()
            _copy_warehouse(warehouse, work / WAREHOUSE_NAME)
            contents.append(WAREHOUSE_NAME)
            say(f"  warehouse  {warehouse}")
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "var_dir": str(settings.var_path),
            "contents": contents,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        partial = archive.with_name(archive.name + ".partial")
        archive.parent.mkdir(parents=True, exist_ok=True)
        # the archive holds the signing keys and the key that wraps every player's document key: owner-only
        partial.unlink(missing_ok=True)
        owner_only = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(owner_only, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for entry in sorted(work.iterdir()):
                tar.add(entry, arcname=entry.name)
        partial.replace(archive)
    return manifest


def _not_fresh(settings: RuntimeSettings, documents_dir: Path | None) -> list[str]:
    found = []
    keys_dir = settings.var_path / "keys"
    if keys_dir.is_dir() and any(keys_dir.iterdir()):
        found.append(str(keys_dir))
    if settings.duckdb_path.exists():
        found.append(str(settings.duckdb_path))
    if documents_dir is not None and documents_dir.is_dir() and any(documents_dir.iterdir()):
        found.append(str(documents_dir))
    if not settings.external_database_url and (settings.var_path / "postgres" / "PG_VERSION").exists():
        found.append(str(settings.var_path / "postgres"))
    return found


def _database_is_empty(url: str) -> bool:
    import psycopg

    from operational.kit.db import libpq_url

    with psycopg.connect(libpq_url(url)) as conn:
        (tables,) = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
    return tables == 0


def _republish_kept_events(url: str) -> int:
    """Mark the events the outboxes keep as unsent: the restored system starts with an empty stream."""
    import psycopg

    from operational.kit.db import libpq_url
    from operational.registry import SERVICES

    marked = 0
    with psycopg.connect(libpq_url(url)) as conn:
        for service in SERVICES:
            if service.outbox is not None:
                table = f'"{service.outbox.table.schema}"."{service.outbox.table.name}"'
                marked += conn.execute(f"UPDATE {table} SET sent_at = NULL WHERE sent_at IS NOT NULL").rowcount
    return marked


def restore(settings: RuntimeSettings, archive: Path, say: Callable[[str], None]) -> dict:
    """Bring a fresh var/ (and database) to the state in ``archive``; return its manifest.

    Refuses, before writing anything, when the target already holds keys, a warehouse, documents or a database."""
    archive = archive.absolute()
    if not archive.is_file():
        raise HubError(f"{archive} is not a file")
    documents_dir = _documents_dir(settings)
    if existing := _not_fresh(settings, documents_dir):
        raise HubError(f"restore needs a fresh HUB_VAR_DIR; found {', '.join(existing)} (move it away first)")
    written = [settings.var_path / "keys", settings.duckdb_path]
    if documents_dir is not None:
        written.append(documents_dir)
    if not settings.external_database_url:
        written.append(settings.var_path / "postgres")
    try:
        return _restore_into_fresh(settings, archive, documents_dir, say)
    except BaseException:
        # nothing half-written: what this restore wrote goes (an external database is the operator's to drop)
        for path in written:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        raise


def _restore_into_fresh(
    settings: RuntimeSettings, archive: Path, documents_dir: Path | None, say: Callable[[str], None]
) -> dict:
    with tempfile.TemporaryDirectory(prefix="hub-restore-") as work_name:
        work = Path(work_name)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, filter="data")
            manifest = json.loads((work / "manifest.json").read_text())
        except (tarfile.TarError, OSError, ValueError) as exc:
            raise HubError(f"{archive} is not a Hockey Hub backup: {first_line(exc)}") from None
        if manifest.get("format") != FORMAT_VERSION or not (work / DUMP_NAME).is_file():
            raise HubError(f"{archive} is not a Hockey Hub backup of format {FORMAT_VERSION}")
        with _database(settings, must_exist=False) as url:
            if not _database_is_empty(url):
                raise HubError(f"the database at {redacted(url)} is not empty; restore needs a new database")
            _run([_postgres_binary("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={url}",
                  str(work / DUMP_NAME)], f"pg_restore into {redacted(url)}")  # fmt: skip
            republished = _republish_kept_events(url)
        say(f"  database   {redacted(url)} ({republished} kept events to publish again)")
        if (work / "keys").is_dir():
            shutil.copytree(work / "keys", settings.var_path / "keys", dirs_exist_ok=True)
            say(f"  keys       {settings.var_path / 'keys'}")
        if (work / "medical-documents").is_dir():
            if documents_dir is None:
                say("  documents  not restored: the medical documents are configured to live in S3")
            else:
                shutil.copytree(work / "medical-documents", documents_dir, dirs_exist_ok=True)
                say(f"  documents  {documents_dir}")
        if (work / WAREHOUSE_NAME).is_file():
            settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(work / WAREHOUSE_NAME, settings.duckdb_path)
            say(f"  warehouse  {settings.duckdb_path}")
    return manifest
