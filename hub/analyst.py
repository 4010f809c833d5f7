"""The analysts' way in: ``hub sql`` on the current serving snapshot, and ``hub docs`` for the dbt documentation.

The pipeline holds the warehouse file (DuckDB allows one writer or many readers), so analysts read the serving
snapshot: ``<serving dir>/current.duckdb`` is always the current one. ``hub sql`` opens the snapshot of the moment
read-only and keeps it for the whole session, however many newer ones the pipeline publishes meanwhile.
"""

from __future__ import annotations

import contextlib
import csv
import http.server
import io
import os
import shutil
import socketserver
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import duckdb

from hub.errors import HubError
from warehouse.config import WarehouseSettings
from warehouse.serving import current_snapshot

FORMATS = ("table", "csv")
MAX_CELL = 60


def open_current_snapshot(settings: WarehouseSettings) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """A read-only connection on the current snapshot (the file itself, not the pointer, so it stays put)."""
    path = current_snapshot(settings.snapshots_dir)
    if path is None:
        raise HubError(
            f"no serving snapshot in {settings.snapshots_dir} yet: the pipeline publishes one after its first run "
            "(start everything with `hub up`)"
        )
    return duckdb.connect(str(path), read_only=True), path


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def write_result(names: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO, fmt: str) -> None:
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        return
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    out.write("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def run_statement(conn: duckdb.DuckDBPyConnection, sql: str, out: TextIO, fmt: str) -> None:
    try:
        cursor = conn.execute(sql)
    except duckdb.Error as exc:
        raise HubError(f"the query failed: {str(exc).splitlines()[0]}") from exc
    if cursor.description is None:
        out.write("ok\n")
        return
    write_result([c[0] for c in cursor.description], cursor.fetchall(), out, fmt)


SHELL_HELP = """\
Type SQL ending with ';' (it may span lines). Commands: .tables (the marts and their descriptions),
.columns <table> (its columns), .help, .quit (or Ctrl-D). Documentation: SELECT * FROM meta.columns;
"""


def shell(conn: duckdb.DuckDBPyConnection, path: Path, fmt: str, read: Callable[[str], str] = input) -> None:
    """A small interactive SQL shell on the snapshot (the DuckDB Python API, no separate CLI needed)."""
    out = sys.stdout
    out.write(f"Hockey Hub warehouse, snapshot {path.name} (read-only)\n{SHELL_HELP}")
    buffer: list[str] = []
    while True:
        try:
            line = read("hub> " if not buffer else "...> ")
        except (EOFError, KeyboardInterrupt):
            out.write("\n")
            return
        stripped = line.strip()
        if not buffer and stripped.startswith("."):
            command, _, argument = stripped.partition(" ")
            if command in (".quit", ".exit"):
                return
            statement = {
                ".tables": "SELECT table_schema, table_name, description FROM meta.tables ORDER BY 1, 2",
                ".columns": "SELECT column_name, data_type, description FROM meta.columns "
                f"WHERE table_name = '{argument.strip().split('.')[-1].replace(chr(39), '')}'",
            }.get(command)
            if statement is None:
                out.write(SHELL_HELP)
                continue
            _report(lambda s=statement: run_statement(conn, s, out, fmt))
            continue
        buffer.append(line)
        if stripped.endswith(";"):
            sql, buffer = "\n".join(buffer), []
            _report(lambda sql=sql: run_statement(conn, sql, out, fmt))


def _report(action: Callable[[], None]) -> None:
    try:
        action()
    except HubError as exc:
        sys.stdout.write(f"error: {exc}\n")


def sql(settings: WarehouseSettings, command: str | None, fmt: str) -> None:
    if fmt not in FORMATS:
        raise HubError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    conn, path = open_current_snapshot(settings)
    with contextlib.closing(conn):
        if command is not None:
            buffer = io.StringIO()
            run_statement(conn, command, buffer, fmt)
            sys.stdout.write(buffer.getvalue())
        else:
            shell(conn, path, fmt)


# docs ------------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _catalog_warehouse(settings: WarehouseSettings) -> Iterator[Path]:
    """A private copy of the current snapshot named like the warehouse, for dbt to read the catalog from: the
    warehouse itself is the running pipeline's, and a snapshot must not be opened for writing."""
    with tempfile.TemporaryDirectory(prefix="hub-docs-") as scratch:
        copy = Path(scratch) / settings.duckdb_path.name
        source = current_snapshot(settings.snapshots_dir)
        if source is not None:
            shutil.copyfile(source, copy)
        yield copy


def generate_docs(settings: WarehouseSettings, target_dir: Path) -> Path:
    """``dbt docs generate --static``: one self-contained HTML file (no network needed) in ``target_dir``."""
    from dbt.cli.main import dbtRunner

    from pipelines.dbt_build import dbt_project

    target_dir.mkdir(parents=True, exist_ok=True)
    with _catalog_warehouse(settings) as warehouse:
        os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        os.environ["HUB_WAREHOUSE_PATH"] = str(warehouse)
        result = dbtRunner().invoke(
            [
                "docs", "generate", "--static", "--quiet",
                "--project-dir", str(dbt_project.project_dir), "--profiles-dir", str(dbt_project.profiles_dir),
                "--target-path", str(target_dir), "--log-path", str(target_dir),
            ]
        )  # fmt: skip
    if not result.success:
        raise HubError(f"dbt docs generate failed: {result.exception}")
    return target_dir / "static_index.html"


def serve_docs(page: Path, host: str, port: int, ready: Callable[[str], None]) -> None:
    """Serve the docs page until Ctrl-C."""
    directory = str(page.parent)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=directory, **kwargs)

        def log_message(self, *args) -> None:  # quiet: the terminal is the analyst's
            pass

    with socketserver.ThreadingTCPServer((host, port), Handler) as server:
        url = f"http://{host}:{server.server_address[1]}/{page.name}"
        ready(url)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
