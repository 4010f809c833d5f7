"""What the medical service keeps from other services' events: who plays for and coaches which team (users), so
coaches see their own players' availability and a problem is filed under the player's team; the club's own training
exercises (training), which rehab plans use; and erasure.

The worker's durable consumer ``medical`` hands each event here once (the shared inbox row and the change commit
together).
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool

from contracts import training, users
from contracts.envelope import EventEnvelope
from messaging.consumer import Delivery
from operational.kit import roster
from operational.kit.service import Handler
from operational.medical import repository
from operational.medical.config import MedicalSettings
from operational.medical.documents import repository as documents_repository
from operational.medical.documents import storage
from operational.medical.rehab import exercises

log = logging.getLogger(__name__)


async def keep_read_models(session, delivery: Delivery) -> None:
    await apply_event(session, delivery.event)


HANDLERS = tuple(
    Handler(model, keep_read_models)
    for model in (
        users.MembershipAddedEvent,
        users.MembershipRemovedEvent,
        users.MembershipRoleChangedEvent,
        users.UserDeactivatedEvent,
        users.UserAnonymizedEvent,
        training.ExerciseCreatedEvent,
        training.ExerciseUpdatedEvent,
    )
)


async def apply_event(session, event: EventEnvelope[Any]) -> None:
    """Bring the read model up to date with one event (in the caller's transaction)."""
    if await roster.apply_membership_event(session, event, repository):
        if event.type == "users.user.anonymized":
            await erase(session, event.org_id, event.data.user_id)
        return
    data = event.data
    if event.type in ("training.exercise.created", "training.exercise.updated") and not data.predefined:
        await exercises.keep(session, event.org_id, data.exercise_id, data.name, data.category, event.occurred_at)


async def erase(session, org_id, player_id) -> None:
    """The player's clinical records go. Their document key goes first: every stored copy of their documents is
    unreadable from then on; the stored objects are then removed as well, as far as the storage lets us (a storage
    that is down leaves ciphertext nobody can read, and the erasure stands)."""
    storage_keys = await documents_repository.storage_keys_of(session, org_id, player_id)
    await documents_repository.shred(session, org_id, player_id)
    await repository.erase_player(session, org_id, player_id)
    if storage_keys:
        documents_storage = storage.storage_for(MedicalSettings())
        for key in storage_keys:
            try:
                await run_in_threadpool(documents_storage.delete, key)
            except Exception:  # noqa: BLE001 - best effort, see above
                log.warning("could not remove an erased player's stored document %s", key, exc_info=True)
