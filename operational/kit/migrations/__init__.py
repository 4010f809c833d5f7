"""Alembic for every service: one migrations folder per service, version table in the service's own schema.

Which services have migrations, and in which order they run, is the registry's (operational/registry.py).
Every service's outbox is the kit's table (messaging/outbox.py); columns the kit adds to it later are added to each
service's outbox after that service's own revisions (:data:`OUTBOX_COLUMNS`), so every service gets them without a
revision of its own.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, MetaData, create_engine, text
from sqlalchemy.pool import NullPool

from operational.kit.db import sqlalchemy_url


def migration_locations() -> dict[str, str]:
    """Service name → Alembic script location, in the order the registry lists them (the kit first)."""
    from operational.registry import SERVICES  # the registry imports every service; this module is imported by them

    return {service.name: service.migrations for service in SERVICES if service.migrations}


def alembic_config(script_location: str, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", script_location)
    # passed as an attribute, not an ini option: URLs carry '%' (encoded socket paths) that ini interpolation rejects
    config.attributes["database_url"] = database_url
    return config


def upgrade(service: str, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(migration_locations()[service], database_url), revision)


def upgrade_all(database_url: str) -> list[str]:
    """Upgrade every registered service's schema; return the services migrated, in order."""
    locations = migration_locations()
    for location in locations.values():
        command.upgrade(alembic_config(location, database_url), "head")
    return list(locations)


def run_migrations_online(target_metadata: MetaData) -> None:
    """Body of every service's ``migrations/env.py``."""
    from alembic import context

    schema = target_metadata.schema
    url = context.config.attributes["database_url"]
    engine = create_engine(sqlalchemy_url(url), poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        # two services migrating at once must not race on the same version table
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": f"migrate:{schema}"})
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table_schema=schema,
            include_schemas=True,
            include_name=lambda name, type_, _parent: type_ != "schema" or name == schema,
        )
        context.run_migrations()
        upgrade_outbox(connection, schema)
    engine.dispose()


OUTBOX_COLUMNS: dict[str, str] = {
    # the W3C traceparent of the request that recorded the event (messaging/tracing.py); NULL when tracing is off
    "traceparent": "text",
}
"""Columns of the kit's outbox table added after the services first created their outboxes: name → SQL type."""


OUTBOX_TABLES = ("outbox", "private_outbox")
"""The tables messaging.outbox.make_outbox_table makes (a service has the first, users the second too)."""


def upgrade_outbox(connection: Connection, schema: str) -> list[str]:
    """Add the :data:`OUTBOX_COLUMNS` that ``schema``'s outboxes (``outbox`` and, where a service has one,
    ``private_outbox``) lack; return those added as ``table.column``.

    Asked of the catalogue first, so an outbox already up to date is not locked for an ``ALTER TABLE``."""
    added = []
    for table in OUTBOX_TABLES:
        present = set(
            connection.execute(
                text("SELECT column_name FROM information_schema.columns WHERE table_schema = :s AND table_name = :t"),
                {"s": schema, "t": table},
            ).scalars()
        )
        if not present:
            continue
        for name in (name for name in OUTBOX_COLUMNS if name not in present):
            column = f"{name} {OUTBOX_COLUMNS[name]}"
            connection.execute(text(f'ALTER TABLE "{schema}".{table} ADD COLUMN IF NOT EXISTS {column}'))
            added.append(f"{table}.{name}")
    return added
