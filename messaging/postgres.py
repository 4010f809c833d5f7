"""The database URL in the forms the drivers want: users and pgserver write ``postgresql://…``."""

from __future__ import annotations

from sqlalchemy.engine import make_url


def sqlalchemy_url(database_url: str, *, driver: str = "psycopg") -> str:
    """``postgresql://…`` → the SQLAlchemy URL for our driver."""
    url = make_url(database_url)
    return url.set(drivername=f"postgresql+{driver}").render_as_string(hide_password=False)


def libpq_url(database_url: str) -> str:
    """The plain libpq form, for psycopg connections outside SQLAlchemy (LISTEN/NOTIFY)."""
    url = make_url(database_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
