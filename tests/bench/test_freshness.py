"""The freshness benchmark's stream: a write counts as visible only once its own day's count has reached it."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from bench import freshness


def test_a_write_is_visible_when_its_day_has_every_write_up_to_it_and_not_before(monkeypatch):
    now = time.monotonic()
    writes = [freshness._Write("a", 1, now), freshness._Write("b", 1, now), freshness._Write("a", 2, now)]
    # what the stats API answers on successive polls: day A's first write shows up, then day B's, then A's second
    answers = [Counter(), Counter(a=1), Counter(a=1, b=1), Counter(a=2, b=1)]
    visible_before_each_poll = []

    async def counts(session, url, days):
        visible_before_each_poll.append([w.visible_after is not None for w in writes])
        return answers[len(visible_before_each_poll) - 1]

    monkeypatch.setattr(freshness, "_counts", counts)
    monkeypatch.setattr(freshness, "POLL_SECONDS", 0)
    done = asyncio.Event()
    done.set()
    asyncio.run(freshness._watch(None, "", ["a", "b"], writes, done))
    assert visible_before_each_poll == [
        [False, False, False],
        [False, False, False],
        [True, False, False],
        [True, True, False],
    ]
    assert all(w.visible_after is not None for w in writes)  # and it stopped polling once all were


def test_a_write_never_seen_counts_as_the_whole_wait_and_is_listed():
    now = time.monotonic()
    seen, lost = freshness._Write("a", 1, now, log_id="x"), freshness._Write("a", 2, now, log_id="y")
    seen.visible_after = 2.5
    visible, on_nats, missing = freshness._latencies([seen, lost], {"x": now + 0.1})
    assert visible == [2.5, freshness.WAIT_SECONDS] and missing == [1] and len(on_nats) == 1
