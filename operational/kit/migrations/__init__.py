"""Alembic for every service: one migrations folder per service, version table in the service's own schema."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.pool import NullPool

from operational.kit.db import sqlalchemy_url

SERVICES_WITH_MIGRATIONS = ("kit", "users", "training", "calendar")


def alembic_config(service: str, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", f"operational.{service}:migrations")
    # passed as an attribute, not an ini option: URLs carry '%' (encoded socket paths) that ini interpolation rejects
    config.attributes["database_url"] = database_url
    return config


def upgrade(service: str, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(service, database_url), revision)


def upgrade_all(database_url: str) -> None:
    for service in SERVICES_WITH_MIGRATIONS:
        upgrade(service, database_url)


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
    engine.dispose()
