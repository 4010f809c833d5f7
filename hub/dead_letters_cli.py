"""`hub events dead-letters`: list the messages consumers gave up on, and replay them after a fix."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from hub.errors import HubError
from messaging.dead_letters import DeadLetter, ReplayResult, list_dead_letters, replay


def running_nats_url(var_dir: Path) -> str | None:
    """The NATS URL of the `hub up` running from ``var_dir``, if one is."""
    try:
        return json.loads((var_dir / "runtime.json").read_text())["nats_url"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


async def _with_jetstream(nats_url: str, work):
    from messaging import nats as hub_nats

    nc = await hub_nats.connect(nats_url, name="hub-dead-letters")
    try:
        js = nc.jetstream()
        await hub_nats.ensure_streams(js)
        return await work(js)
    finally:
        await hub_nats.close(nc)


def _rows(letters: Sequence[DeadLetter]) -> list[str]:
    lines = [f"{'id':>6}  {'dead-lettered at (UTC)':<20}  {'consumer':<12}  {'subject':<40}  reason"]
    for letter in letters:
        when = letter.dead_lettered_at.strftime("%Y-%m-%d %H:%M:%S") if letter.dead_lettered_at else "-"
        # the reason in full, however long: it is what tells the fix
        lines.append(f"{letter.id:>6}  {when:<20}  {letter.consumer:<12}  {letter.subject:<40}  {letter.reason}")
    return lines


def show_or_replay(nats_url: str, *, do_replay: bool, ids: Sequence[int], say: Callable[[str], None]) -> None:
    """List the dead letters, or (``do_replay``) replay ``ids``, every one when ``ids`` is empty.

    Raises :class:`HubError` naming ids that are not dead letters, before anything is replayed."""
    letters: list[DeadLetter] = asyncio.run(_with_jetstream(nats_url, list_dead_letters))
    if not do_replay:
        if ids:
            letters = [letter for letter in letters if letter.id in set(ids)]
        if not letters:
            say("no dead letters: every message was handled")
            return
        for line in _rows(letters):
            say(line)
        say(f"{len(letters)} dead letters; after a fix, `hub events dead-letters --replay [ID ...]` replays them")
        return
    unknown = sorted(set(ids) - {letter.id for letter in letters})
    if unknown:
        raise HubError(
            f"no dead letter with id {', '.join(map(str, unknown))}; `hub events dead-letters` lists the ids"
        )
    if not letters:
        say("no dead letters to replay")
        return
    result: ReplayResult = asyncio.run(_with_jetstream(nats_url, lambda js: replay(js, ids or None)))
    say(
        f"replayed {len(result.replayed)} dead letters ({result.published} messages published on their original "
        "subjects); a message that still fails is dead-lettered again with its new reason"
    )
