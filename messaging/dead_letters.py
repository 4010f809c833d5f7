"""The dead letters: messages a consumer gave up on, kept in the ``HUB_DEAD_LETTER`` stream with the reason.

A consumer copies a message there, with its reason, subject and consumer in the headers, when it is not a valid
event (malformed, an unknown type or an unknown version of a known type) or when handling it failed
``max_deliver`` times; then it acks it and goes on with the next (messaging/consumer.py). Nothing is dropped.

After a fix (a handler repaired, a new contract version deployed), :func:`replay` publishes dead letters again on
their original subject and removes them from the dead-letter stream. Every consumer of that subject receives the
message again; those that handled it before skip it (they are idempotent on ``event_id``), and one that still
cannot handle it dead-letters it again, with the new reason. A replay carries a message id of its own
(``<original id>/replay/<dead letter id>``): JetStream would otherwise drop it as a duplicate of the original for
the duplicate window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from contracts.envelope import DEAD_LETTER_PREFIX, DEAD_LETTER_STREAM

REASON_HEADER = "Hub-Dead-Letter-Reason"
SUBJECT_HEADER = "Hub-Original-Subject"
CONSUMER_HEADER = "Hub-Consumer"
MSG_ID_HEADER = "Hub-Original-Msg-Id"
REPLAYED_FROM_HEADER = "Hub-Replayed-From"


@dataclass(frozen=True)
class DeadLetter:
    """One dead-lettered message; ``id`` is its sequence in the dead-letter stream (what ``--replay`` takes)."""

    id: int
    subject: str
    consumer: str
    reason: str
    dead_lettered_at: datetime | None
    original_msg_id: str | None
    data: bytes


def _parse_time(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if not isinstance(value, str) or not value:
        return None
    # the server sends RFC 3339 with nanoseconds; Python reads microseconds
    head, _, fraction = value.rstrip("Z").partition(".")
    try:
        parsed = datetime.fromisoformat(f"{head}.{fraction[:6]}" if fraction else head)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


async def list_dead_letters(js: JetStreamContext, *, limit: int | None = None) -> list[DeadLetter]:
    """The dead letters still held, oldest first (at most ``limit``)."""
    found: list[DeadLetter] = []
    seq = 1
    while limit is None or len(found) < limit:
        try:
            raw = await js.get_msg(DEAD_LETTER_STREAM, seq=seq, subject=DEAD_LETTER_PREFIX + ">", next=True)
        except NotFoundError:
            break  # nothing at or after seq
        headers = raw.headers or {}
        found.append(
            DeadLetter(
                id=raw.seq,
                subject=headers.get(SUBJECT_HEADER) or raw.subject.removeprefix(DEAD_LETTER_PREFIX),
                consumer=headers.get(CONSUMER_HEADER, ""),
                reason=headers.get(REASON_HEADER, ""),
                dead_lettered_at=_parse_time(raw.time),
                original_msg_id=headers.get(MSG_ID_HEADER),
                data=raw.data or b"",
            )
        )
        seq = raw.seq + 1
    return found


@dataclass(frozen=True)
class ReplayResult:
    replayed: list[int]
    published: int
    unknown: list[int]


async def replay(js: JetStreamContext, ids: Iterable[int] | None = None) -> ReplayResult:
    """Publish the dead letters ``ids`` (all when None) on their original subjects, then remove them.

    A message dead-lettered by several consumers is published once. ``unknown`` lists ids that are not held."""
    held = await list_dead_letters(js)
    wanted = None if ids is None else list(dict.fromkeys(ids))
    chosen = held if wanted is None else [letter for letter in held if letter.id in set(wanted)]
    unknown = [] if wanted is None else sorted(set(wanted) - {letter.id for letter in held})
    published: set[tuple[str, str | bytes]] = set()
    for letter in chosen:
        key = (letter.subject, letter.original_msg_id or letter.data)
        if key not in published:
            headers = {
                "Nats-Msg-Id": f"{letter.original_msg_id or 'message'}/replay/{letter.id}",
                REPLAYED_FROM_HEADER: str(letter.id),
            }
            await js.publish(letter.subject, letter.data, headers=headers)
            published.add(key)
        await js.delete_msg(DEAD_LETTER_STREAM, letter.id)
    return ReplayResult(replayed=[letter.id for letter in chosen], published=len(published), unknown=unknown)
