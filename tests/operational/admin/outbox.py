"""Reading what a service put in its outbox, as the warehouse will receive it."""

from __future__ import annotations

import psycopg

from operational.kit.db import libpq_url


def outbox_envelopes(settings, schema: str, event_type: str, actor_id) -> list[dict]:
    """The envelopes of ``event_type`` caused by ``actor_id`` in ``schema``'s outbox, oldest first."""
    with psycopg.connect(libpq_url(settings.database_url)) as conn:
        rows = conn.execute(
            f"SELECT envelope FROM {schema}.outbox WHERE envelope->>'type' = %s AND envelope->>'actor_id' = %s "
            "ORDER BY id",
            (event_type, str(actor_id)),
        ).fetchall()
    return [envelope for (envelope,) in rows]
