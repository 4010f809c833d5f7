"""Web push subscriptions: a person subscribes their browsers and unsubscribes them; nobody sees or touches anyone
else's (another person's subscription is 403, another club's or none 404).

- ``GET /api/v1/comms/push/key``: the server's VAPID public key for ``pushManager.subscribe``.
- ``POST /api/v1/comms/push/subscriptions``: the browser's ``PushSubscription.toJSON()``; the endpoint must be a
  public HTTPS push service (push/guard.py), else 422 with the reason. The same browser again: its keys are renewed.
- ``GET /api/v1/comms/push/subscriptions``: your browsers. ``DELETE …/{subscription_id}``: 204.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response, status

from operational.comms.config import SettingsDep
from operational.comms.models import PushSubscription
from operational.comms.push import repository
from operational.comms.push.guard import UnsafePushEndpoint, check_push_endpoint
from operational.comms.push.vapid import application_server_key
from operational.comms.schemas import PushKeyRead, PushSubscriptionCreate, PushSubscriptionRead
from operational.kit.auth import CurrentUser, Principal
from operational.kit.db import SessionDep
from operational.kit.errors import InvalidValue
from operational.kit.ids import uuid7
from operational.kit.loaders import Loader, in_club

push_router = APIRouter(prefix="/api/v1/comms/push", tags=["comms"])


def _is_owner(principal: Principal, subscription: PushSubscription) -> bool:
    return subscription.user_id == principal.user_id


OwnSubscription = Loader(
    "push subscription",
    in_club(repository.get_subscription),
    allowed=_is_owner,
    denied="That push subscription is someone else's.",
).from_path("subscription_id")


def _read(subscription: PushSubscription) -> PushSubscriptionRead:
    return PushSubscriptionRead(id=subscription.id, endpoint=subscription.endpoint, created_at=subscription.created_at)


@push_router.get("/key", response_model=PushKeyRead)
async def get_key(user: CurrentUser, settings: SettingsDep) -> PushKeyRead:
    """The server's VAPID public key (base64url), the ``applicationServerKey`` a browser subscribes with."""
    return PushKeyRead(application_server_key=application_server_key(settings))


@push_router.post("/subscriptions", status_code=status.HTTP_201_CREATED, response_model=PushSubscriptionRead)
async def subscribe(
    body: PushSubscriptionCreate, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> PushSubscriptionRead:
    """Subscribes this browser to your notifications by web push (422 for an endpoint that is not a public HTTPS
    push service)."""
    try:
        await check_push_endpoint(body.endpoint, allowed_origins=settings.push_allowed_origins)
    except UnsafePushEndpoint as exc:
        raise InvalidValue(str(exc), field="endpoint") from exc
    row = await repository.subscribe(
        session,
        {"id": uuid7(), "org_id": user.org_id, "user_id": user.user_id, "endpoint": body.endpoint,
         "p256dh": body.keys.p256dh, "auth": body.keys.auth, "created_at": datetime.now(UTC)},
    )  # fmt: skip
    return _read(row)


@push_router.get("/subscriptions", response_model=list[PushSubscriptionRead])
async def list_subscriptions(session: SessionDep, user: CurrentUser) -> list[PushSubscriptionRead]:
    """Your subscribed browsers, oldest first."""
    return [_read(row) for row in await repository.subscriptions_of(session, user.org_id, user.user_id)]


@push_router.delete("/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unsubscribe(subscription: OwnSubscription, session: SessionDep, user: CurrentUser) -> Response:
    """This browser gets no more web push."""
    await repository.unsubscribe(session, subscription.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
