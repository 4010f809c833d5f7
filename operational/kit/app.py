"""The app factory every service (and the all-in-one gateway) is built with.

It wires the same things everywhere: error shape, correlation ids, metrics, ``/healthz`` ``/readyz`` ``/metrics``,
the database engine, the NATS connection and the list of revoked access tokens (fed from NATS). Relays, consumers and
periodic jobs run in the worker (operational/worker.py), never in an API process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from nats.js.api import ConsumerConfig, DeliverPolicy
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import ValidationError
from sqlalchemy import text

from contracts.envelope import SUBJECT_PREFIX
from contracts.users import SessionsRevokedEvent
from messaging import nats as hub_nats
from messaging import tracing
from messaging.collector import startup_heap_frozen
from messaging.logs import configure_logging
from messaging.retry import keep_trying
from operational.kit.auth import RevocationList, VerifiedTokens
from operational.kit.config import HubSettings, for_service
from operational.kit.db import create_engine, lazy_transactions, session_factory
from operational.kit.errors import install_error_handlers
from operational.kit.idempotency import purge_expired
from operational.kit.live import SESSION_INFO_KEY, LiveUpdates
from operational.kit.observability import TracingMiddleware
from operational.kit.openapi import complete_openapi
from operational.kit.request_layer import RequestLayer
from operational.kit.route_index import index_routes
from operational.kit.service import PeriodicJob, Service
from operational.kit.strict import reject_unknown_query_parameters

log = logging.getLogger(__name__)


SERVICE = Service(
    name="kit",
    settings=HubSettings,
    migrations="operational.kit:migrations",  # idempotency keys and the consumers' shared inbox; migrated first
    jobs=(PeriodicJob("purge expired idempotency keys", timedelta(hours=1), purge_expired),),
)
"""What the kit keeps for every service: its tables and their housekeeping."""


async def _connect_nats_in_background(app: FastAPI, settings: HubSettings) -> None:
    """Keep trying: a service starts (and reports not ready) while NATS is down, and connects once it is up."""

    async def connect() -> None:
        nc = await hub_nats.connect(settings.nats_url, name=app.title)
        app.state.nats = nc
        app.state.js = nc.jetstream()
        await hub_nats.ensure_streams(app.state.js, replicas=settings.nats_stream_replicas)

    await keep_trying("NATS not reachable yet; retrying", connect)


REVOCATIONS_SUBJECT = SUBJECT_PREFIX + SessionsRevokedEvent.model_fields["type"].default


async def follow_revocations(app: FastAPI) -> None:
    """Keep ``app.state.revocations`` up to date from ``users.sessions.revoked`` events, once ``app.state.js`` is
    connected: an ephemeral ordered consumer that starts as far back as a revoked token can still be alive, so a
    process started after a logout refuses that token too."""
    revocations: RevocationList = app.state.revocations

    async def on_message(msg) -> None:
        try:
            event = SessionsRevokedEvent.model_validate_json(msg.data)
        except ValidationError as exc:
            log.warning("ignored a malformed session revocation", extra={"error": str(exc)})
            return
        revocations.revoke(
            user_id=event.data.user_id, session_id=event.data.session_id, revoked_at=event.data.revoked_at.timestamp()
        )

    while getattr(app.state, "js", None) is None:
        await asyncio.sleep(0.1)

    async def subscribe() -> None:
        since = datetime.now(UTC) - timedelta(seconds=revocations.keep_seconds)
        await app.state.js.subscribe(
            REVOCATIONS_SUBJECT,
            ordered_consumer=True,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_TIME, opt_start_time=since),
            cb=on_message,
        )

    await keep_trying("cannot follow session revocations yet; retrying", subscribe)


def base_app(settings, *, title: str, lifespan, idempotency: bool = False) -> FastAPI:
    """What every API of the system shares: error shape, strict requests, correlation ids and metrics, and a list of
    revoked access tokens (``app.state.revocations``, fed by :func:`follow_revocations`) and the tokens already verified
    (``app.state.verified_tokens``); for APIs that write
    (``idempotency``), Idempotency-Key on every POST."""
    app = FastAPI(
        title=title,
        lifespan=_heap_frozen_once_started(lifespan),
        version="0.1.0",
        dependencies=[Depends(reject_unknown_query_parameters)],
    )
    app.state.settings = settings
    # a token lives at most access_token_minutes; a minute more covers clocks a little apart
    app.state.revocations = RevocationList(keep_seconds=settings.access_token_minutes * 60 + 60)
    app.state.verified_tokens = VerifiedTokens()
    install_error_handlers(app)
    complete_openapi(app, idempotency=idempotency)
    # correlation id, metrics, NUL characters and Idempotency-Key in one pure ASGI layer (request_layer.py)
    app.add_middleware(RequestLayer, idempotency=idempotency)
    if tracing.enabled():
        app.add_middleware(TracingMiddleware)
    return app


def _heap_frozen_once_started(lifespan):
    """``lifespan``, and once the app has started, its heap out of the cyclic collector's reach
    (:func:`startup_heap_frozen`): a full collection while serving walks what requests made, not the modules and
    routes every request shares."""

    @contextlib.asynccontextmanager
    async def started_then_frozen(app: FastAPI) -> AsyncIterator[None]:
        async with lifespan(app), startup_heap_frozen():
            yield

    return started_then_frozen


@contextlib.asynccontextmanager
async def nats_in_background(app: FastAPI, settings: HubSettings, *more: Awaitable[None]) -> AsyncIterator[None]:
    """While the app runs: connect to NATS (retrying, so the app starts and serves while NATS is down), follow
    session revocations, and run ``more`` background work; all of it ends with the app."""
    app.state.nats = None
    app.state.js = None
    tasks = [
        asyncio.create_task(_connect_nats_in_background(app, settings)),
        asyncio.create_task(follow_revocations(app)),
        *(asyncio.create_task(work) for work in more),
    ]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if app.state.nats is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(app.state.nats.drain(), timeout=2)


def create_service_app(settings: HubSettings, services: Sequence[Service], *, title: str) -> FastAPI:
    """An API serving the routers of ``services`` (one service, or all of them in the gateway)."""
    configure_logging(settings.log_level, settings.log_json)
    tracing.configure_tracing(settings, "hockey-hub-api")

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = create_engine(settings.database_url, pool_size=settings.database_pool_size)
        app.state.read_engine = lazy_transactions(app.state.engine)  # GET requests: no transaction until a write
        app.state.live = LiveUpdates()
        app.state.sessions = session_factory(app.state.engine, info={SESSION_INFO_KEY: app.state.live})
        try:
            async with nats_in_background(app, settings, app.state.live.follow(app)):
                yield
        finally:
            await app.state.read_engine.dispose()
            await app.state.engine.dispose()

    app = base_app(settings, title=title, lifespan=lifespan, idempotency=True)
    # each service reads its own settings (service_settings below), built once: shared fields from ``settings``
    app.state.service_settings = {service.name: for_service(service.settings, settings) for service in services}
    for service in services:
        for router in service.routers:
            app.include_router(router)
    app.include_router(health_router())
    index_routes(app)  # a request is matched against its service's routes only (route_index.py)
    return app


ReadinessCheck = Callable[[Request], Awaitable[dict[str, str]]]
"""Maps each dependency a service needs to "ok" or to why it is unavailable."""


async def postgres_and_nats_ready(request: Request) -> dict[str, str]:
    checks = {"postgres": "ok", "nats": "ok"}
    try:
        async with request.app.state.engine.connect() as conn:
            await asyncio.wait_for(conn.execute(text("SELECT 1")), timeout=2)
    except Exception as exc:
        checks["postgres"] = f"unavailable: {exc.__class__.__name__}"
    nc = getattr(request.app.state, "nats", None)
    if nc is None or not nc.is_connected:
        checks["nats"] = "unavailable: not connected"
    return checks


def health_router(readiness: ReadinessCheck = postgres_and_nats_ready) -> APIRouter:
    """``/healthz``, ``/readyz``, ``/metrics``; a service without Postgres or NATS passes its own checks."""
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="Liveness: the process answers")
    async def healthz() -> dict:
        return {"status": "ok"}

    @router.get("/readyz", summary="Readiness: what the service depends on is reachable")
    async def readyz(request: Request) -> JSONResponse:
        checks = await readiness(request)
        ready = all(v == "ok" for v in checks.values())
        body = {"status": "ready" if ready else "not_ready", "checks": checks}
        return JSONResponse(body, 200 if ready else 503)

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
