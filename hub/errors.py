"""Problems the person running ``hub`` can fix, and the checks that find them before anything starts."""

from __future__ import annotations

import asyncio
import contextlib


class HubError(Exception):
    """Printed as one line on stderr; the command exits with code 1."""


def first_line(exc: BaseException) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text.splitlines()[0].strip()


def redacted(url: str) -> str:
    """The URL without its password, fit for a message or a file."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    with contextlib.suppress(ArgumentError, ValueError):
        return make_url(url).render_as_string(hide_password=True)
    return url


def check_database(url: str, *, timeout_seconds: int = 5) -> None:
    """Fail with a clear message unless ``url`` is a Postgres URL that accepts a connection."""
    import psycopg
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from operational.kit.db import libpq_url

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise HubError(
            f"HUB_DATABASE_URL is not a database URL: {url!r} (expected postgresql://user:password@host:5432/name)"
        ) from None
    if not parsed.drivername.startswith("postgresql"):
        raise HubError(f"HUB_DATABASE_URL must be a postgresql:// URL, not {parsed.drivername}://")
    try:
        with psycopg.connect(libpq_url(url), connect_timeout=timeout_seconds):
            pass
    except psycopg.Error as exc:
        raise HubError(f"cannot connect to the database at {redacted(url)}: {first_line(exc)}") from None


async def check_nats(url: str, *, timeout_seconds: float = 5) -> None:
    """Fail with a clear message unless a NATS server greets us at one of the servers of ``url`` (comma-separated:
    a cluster works while any of its servers does).

    A raw TCP check: the NATS client retries an unreachable server forever on its first connect.
    """
    servers = [server.strip() for server in url.split(",") if server.strip()] or [url]
    for server in servers[:-1]:
        with contextlib.suppress(HubError):
            return await _check_one_nats(server, timeout_seconds=timeout_seconds)
    await _check_one_nats(servers[-1], timeout_seconds=timeout_seconds)


async def _check_one_nats(url: str, *, timeout_seconds: float) -> None:
    from urllib.parse import urlsplit

    first = url.split(",")[0].strip()
    try:
        parts = urlsplit(first if "://" in first else f"nats://{first}")
        host, port = parts.hostname or "127.0.0.1", parts.port or 4222
    except ValueError:
        raise HubError(f"HUB_NATS_URL is not a NATS URL: {url!r} (expected nats://host:4222)") from None
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout_seconds)
    except (OSError, TimeoutError) as exc:
        raise HubError(f"cannot connect to NATS at {redacted(first)}: {first_line(exc)}") from None
    try:
        greeting = await asyncio.wait_for(reader.readline(), timeout_seconds)
    except (OSError, TimeoutError):
        greeting = b""
    finally:
        writer.close()
    if not greeting.startswith(b"INFO"):
        raise HubError(f"{redacted(first)} answered, but not as a NATS server")
