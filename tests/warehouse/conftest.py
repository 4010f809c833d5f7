"""A Postgres warehouse on the session's server, emptied for each test."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from hub.embedded import ensure_database
from warehouse.postgres_warehouse import PostgresWarehouse


@pytest.fixture
def postgres_warehouse(postgres_admin_url: str) -> PostgresWarehouse:
    url = ensure_database(postgres_admin_url, "hub_warehouse_adapter")
    with psycopg.connect(url, autocommit=True) as conn:
        schemas = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname IN ('raw', 'marts', 'serving') OR nspname LIKE 'serving_%'"
        ).fetchall()
        for (schema,) in schemas:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
    return PostgresWarehouse(url)
