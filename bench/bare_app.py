"""The baseline for the API benchmark's database endpoints: the same SQL through a plain psycopg pool, no framework
machinery (no token verification, no ORM, no dependency injection), served exactly like the gateway.

``GET /training/rpe-logs`` reads what ``GET /api/v1/training/rpe-logs?limit=50`` gives a coach: the club's logs of
the coach's own (and their minors') plus those filed under the coach's teams, newest session first, 50 a page with
the total, in the same JSON shape (``{items, total, limit, offset}``), in one query (the window count), without an
explicit transaction. ``POST /training/rpe-logs`` inserts a log and its ``training.session_rpe.logged`` outbox row
and wakes the relay (``pg_notify``), in one transaction, as the real write does.

Who reads is fixed when the server starts (the coach's scope), and so are the players who write and their teams,
from ``HUB_BENCH_BARE_*`` variables; a write names its player in ``X-Bench-Player``: a baseline has nothing to
verify.
"""

from __future__ import annotations

import json
import os
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime

import orjson
from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messaging.postgres import libpq_url

PAGE_SIZE = 50

_READ = """
SELECT id, player_id, team_id, session_date, rpe, duration_minutes, session_rpe_load_au, session_id, logged_at,
       logged_by, corrected_at, count(*) OVER () AS total
FROM training.session_rpe_logs
WHERE org_id = %(org)s AND (player_id = ANY(%(own)s) OR team_id = ANY(%(teams)s))
ORDER BY session_date DESC, logged_at DESC, id
LIMIT %(limit)s OFFSET 0
"""
_INSERT = """
INSERT INTO training.session_rpe_logs (id, org_id, player_id, team_id, session_date, rpe, duration_minutes,
    session_rpe_load_au, logged_by, logged_at)
VALUES (%(id)s, %(org)s, %(player)s, %(team)s, %(day)s, %(rpe)s, %(minutes)s, %(load)s, %(player)s, %(at)s)
"""
_OUTBOX = "INSERT INTO training.outbox (event_id, subject, envelope) VALUES (%s, %s, %s::jsonb)"
_COLUMNS = (
    "id", "player_id", "team_id", "session_date", "rpe", "duration_minutes", "session_rpe_load_au", "session_id",
    "logged_at", "logged_by", "corrected_at",
)  # fmt: skip


def _ids(name: str) -> list[uuid.UUID]:
    return [uuid.UUID(value) for value in os.environ.get(name, "").split(",") if value]


def create_app() -> Starlette:
    org = uuid.UUID(os.environ.get("HUB_BENCH_BARE_ORG_ID", str(uuid.UUID(int=0))))
    own, teams = _ids("HUB_BENCH_BARE_OWN_IDS"), _ids("HUB_BENCH_BARE_TEAM_IDS")
    teams_of = {
        player: uuid.UUID(team)
        for player, _, team in (pair.partition(":") for pair in os.environ.get("HUB_BENCH_BARE_PLAYERS", "").split(","))
        if player
    }
    pool = AsyncConnectionPool(libpq_url(os.environ["HUB_DATABASE_URL"]), min_size=2, max_size=10, open=False)

    async def read(request: Request) -> Response:
        async with pool.connection() as conn:
            await conn.set_autocommit(True)
            cursor = await conn.execute(_READ, {"org": org, "own": own, "teams": teams, "limit": PAGE_SIZE})
            rows = await cursor.fetchall()
        items = [dict(zip(_COLUMNS, row[:-1], strict=True)) for row in rows]
        body = {"items": items, "total": rows[0][-1] if rows else 0, "limit": PAGE_SIZE, "offset": 0}
        return Response(orjson.dumps(body), media_type="application/json")

    async def write(request: Request) -> Response:
        body = json.loads(await request.body())
        player = request.headers["x-bench-player"]
        player_team, player = teams_of[player], uuid.UUID(player)
        now = datetime.now(UTC)
        log = {
            "id": uuid.uuid4(), "org": org, "player": player, "team": player_team,
            "day": date.fromisoformat(body["session_date"]), "rpe": body["rpe"], "minutes": body["duration_minutes"],
            "load": body["rpe"] * body["duration_minutes"], "at": now,
        }  # fmt: skip
        data = {
            "log_id": log["id"], "player_id": player, "team_id": player_team, "session_date": log["day"],
            "rpe": log["rpe"], "duration_minutes": log["minutes"], "session_rpe_load_au": log["load"],
            "logged_at": now, "session_id": None, "logged_by": player,
        }  # fmt: skip
        event_id = uuid.uuid4()
        envelope = {
            "event_id": event_id, "type": "training.session_rpe.logged", "version": 1, "occurred_at": now,
            "org_id": org, "actor_id": player, "subject_id": log["id"], "correlation_id": None, "data": data,
        }  # fmt: skip
        async with pool.connection() as conn, conn.transaction():
            await conn.execute(_INSERT, log)
            await conn.execute(_OUTBOX, (event_id, "hub.training.session_rpe.logged", orjson.dumps(envelope).decode()))
            await conn.execute("SELECT pg_notify('hub_outbox_training', '')")
        item = {**{k: data[k] for k in data if k != "log_id"}, "id": log["id"], "corrected_at": None}
        return Response(orjson.dumps(item), status_code=201, media_type="application/json")

    async def healthz(request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    @asynccontextmanager
    async def lifespan(app):
        await pool.open()
        try:
            yield
        finally:
            await pool.close()

    routes = [
        Route("/healthz", healthz),
        Route("/training/rpe-logs", read, methods=["GET"]),
        Route("/training/rpe-logs", write, methods=["POST"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
