"""`hub contracts …`: export the event JSON Schemas, or check that the committed ones are current."""

from __future__ import annotations

import typer

from contracts.export import SCHEMAS_DIR, stale_files, write_schemas

app = typer.Typer(help="Event contracts: JSON Schemas and golden examples.", no_args_is_help=True)


@app.command("export")
def export(
    check: bool = typer.Option(False, "--check", help="Fail if the committed schemas are out of date."),
):
    """Write contracts/schemas/*.json from the registered event models."""
    if check:
        stale = stale_files()
        if stale:
            typer.echo(f"out of date: {', '.join(stale)} — run `hub contracts export`", err=True)
            raise typer.Exit(1)
        typer.echo("contract schemas are current")
        return
    written = write_schemas()
    typer.echo(f"wrote {len(written)} files to {SCHEMAS_DIR}")
