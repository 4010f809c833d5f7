"""Freshness: a session RPE logged at the gateway → visible in the stats API, on the stack ``make up`` runs.

Two runs on one stack:

* **steady stream** (the target): ``--writes`` session RPEs logged one every ``--interval`` seconds whatever the
  pipeline is doing (an open loop, as a team's players log after practice), spread over the last 14 club days. One
  poller asks the stats API for those 14 days every 50 ms; a write is visible when its day's session count reaches
  the count before the run plus the writes to that day up to and including it. A write that lands while a pipeline
  pass is running waits for that pass and the next, so under a stream a write takes up to two passes.
* **one at a time** (context): ``--sequential`` writes, each logged on a quiet pipeline once the last is visible:
  the latency of one pass.

A first write, not counted, waits until whatever the stack was still working through (an earlier benchmark's load,
when ``make bench`` shares one stack between benchmarks) is visible.

The baseline is the transport alone: the moment the same event arrives on NATS (outbox → relay → JetStream),
observed by a plain subscriber. What lies between the two is the pipeline (ingest, checks, dbt build, serving
snapshot) and the stats API noticing the new snapshot.

    python -m bench freshness [--writes 100 --interval 1.0 --sequential 5]

Targets, on the steady stream: the slowest write visible within 15 s (must), p95 within 5 s (wanted).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import nats

from bench.common import percentile, print_table, quick, verdict
from bench.results import write_result
from bench.stack import running_stack

TARGET_MAX_SECONDS = 15.0
TARGET_P95_SECONDS = 5.0
WAIT_SECONDS = 120.0
POLL_SECONDS = 0.05
DAYS = 14
PLAYER = "elias.nilsson@northside.example.org"
COACH = "coach@northside.example.org"


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench freshness")
    parser.add_argument("--writes", type=int, default=5 if quick() else 100, help="writes of the steady stream")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between the stream's writes")
    parser.add_argument("--sequential", type=int, default=2 if quick() else 5, help="writes one at a time")
    return parser.parse_args(argv)


@dataclass
class _Write:
    day: str
    needed: int  # the day's session count once this write is visible
    started: float
    log_id: str | None = None
    visible_after: float | None = None


@dataclass
class _Session:
    """Signed-in clients on the stack; a token that expires mid-run (15 minutes) is renewed."""

    stack: object
    gateway: httpx.AsyncClient
    stats: httpx.AsyncClient
    headers: dict[str, dict] = field(default_factory=dict)
    logged: int = 0  # numbers the writes of the whole run, so no two are the same session (a 409 duplicate)

    async def call(self, who: str, method: str, client: httpx.AsyncClient, url: str, **kwargs) -> httpx.Response:
        if who not in self.headers:
            self.headers[who] = await asyncio.to_thread(self.stack.login, who)
        response = await client.request(method, url, headers=self.headers[who], **kwargs)
        if response.status_code == 401:
            self.headers[who] = await asyncio.to_thread(self.stack.login, who)
            response = await client.request(method, url, headers=self.headers[who], **kwargs)
        return response


def _club_days() -> list[str]:
    # the club's calendar days (Europe/Stockholm), as the stats API's period is
    yesterday = datetime.now(ZoneInfo("Europe/Stockholm")).date() - timedelta(days=1)
    return [(yesterday - timedelta(days=n)).isoformat() for n in range(DAYS)]


async def _counts(session: _Session, url: str, days: list[str]) -> Counter:
    response = await session.call(COACH, "GET", session.stats, url, params={"from": min(days), "to": max(days)})
    if response.status_code == 503:  # no snapshot published yet
        return Counter()
    response.raise_for_status()
    return Counter({d["session_date"]: d["session_count"] for d in response.json()["days"]})


async def _log(session: _Session, write: _Write) -> None:
    n, session.logged = session.logged, session.logged + 1
    body = {"session_date": write.day, "rpe": 5 + n % 4, "duration_minutes": 30 + n % 60}
    response = await session.call(PLAYER, "POST", session.gateway, "/api/v1/training/rpe-logs", json=body)
    response.raise_for_status()
    write.log_id = response.json()["id"]


async def _watch(session: _Session, url: str, days: list[str], writes: list[_Write], done: asyncio.Event) -> None:
    """Mark each write visible once its day's count reaches what it needs; ends when ``done`` is set and every
    write is visible or has waited WAIT_SECONDS."""
    while True:
        counts, now = await _counts(session, url, days), time.monotonic()
        for write in writes:
            if write.visible_after is None and counts[write.day] >= write.needed:
                write.visible_after = now - write.started
        waiting = [w for w in writes if w.visible_after is None and now - w.started < WAIT_SECONDS]
        if done.is_set() and not waiting:
            return
        await asyncio.sleep(POLL_SECONDS)


async def _stream(session: _Session, url: str, days: list[str], count: int, interval: float) -> list[_Write]:
    """``count`` writes one every ``interval`` seconds (an open loop: the next does not wait for the last)."""
    expected = await _counts(session, url, days)
    writes, done = [], asyncio.Event()
    watcher = asyncio.create_task(_watch(session, url, days, writes, done))
    posts = []
    first = time.monotonic()
    for n in range(count):
        await asyncio.sleep(max(0.0, first + n * interval - time.monotonic()))  # the schedule, not a wait for state
        day = days[n % len(days)]
        expected[day] += 1
        write = _Write(day, expected[day], time.monotonic())
        writes.append(write)
        posts.append(asyncio.create_task(_log(session, write)))
    await asyncio.gather(*posts)
    done.set()
    await watcher
    return writes


async def _one_at_a_time(session: _Session, url: str, days: list[str], count: int) -> list[_Write]:
    writes, logged = [], asyncio.Event()
    logged.set()  # each write is logged before it is watched: the watch ends once it is visible
    for n in range(count):
        day = days[n % len(days)]
        write = _Write(day, (await _counts(session, url, days))[day] + 1, time.monotonic())
        writes.append(write)
        await _log(session, write)
        await _watch(session, url, days, [write], logged)
    return writes


async def _measure(stack, args) -> tuple[list[_Write], list[_Write], dict[str, float]]:
    arrivals: dict[str, float] = {}
    nc = await nats.connect(stack.nats_url)

    async def on_event(msg) -> None:
        arrivals[json.loads(msg.data)["subject_id"]] = time.monotonic()  # the event is about the log

    await nc.subscribe("hub.training.session_rpe.logged", cb=on_event)
    try:
        async with (
            httpx.AsyncClient(base_url=stack.gateway, timeout=30) as gateway,
            httpx.AsyncClient(base_url=stack.stats, timeout=30) as stats,
        ):
            session = _Session(stack, gateway, stats)
            me = (await session.call(PLAYER, "GET", gateway, "/api/v1/users/me")).json()
            url = f"/api/v1/stats/players/{me['id']}/daily-load"
            days = _club_days()
            # not counted: once it is visible, whatever the stack was still working through is done
            await _one_at_a_time(session, url, days, 1)
            sequential = await _one_at_a_time(session, url, days, args.sequential)
            stream = await _stream(session, url, days, args.writes, args.interval)
    finally:
        await nc.close()
    return sequential, stream, arrivals


def _latencies(writes: list[_Write], arrivals: dict[str, float]) -> tuple[list[float], list[float], list[int]]:
    """(seconds to visible, a write never seen counted as WAIT_SECONDS: a floor, so the percentiles stay honest;
    seconds to NATS; the indexes of writes never seen)."""
    visible = [w.visible_after if w.visible_after is not None else WAIT_SECONDS for w in writes]
    on_nats = [arrivals[w.log_id] - w.started for w in writes if w.log_id in arrivals]
    missing = [n for n, w in enumerate(writes) if w.visible_after is None]
    return visible, on_nats, missing


def _pass_profile(stack) -> dict:
    """Median seconds of the pipeline's passes and of each of their steps (ingest, checks, dbt build, serving
    snapshot), from the runner's one JSON line per pass: where the time between NATS and the stats API goes. The
    passes events started (fast-lane passes, and those that turned full at the deferral bound) and the full-lane
    passes of the marts they deferred are summed up apart."""
    by_trigger: dict[str, list[dict]] = {}
    try:
        lines = (stack.var_dir / "log" / "pipeline.log").read_text(errors="replace").splitlines()
    except OSError:
        return {}
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("message") == "pipeline pass":
            by_trigger.setdefault(entry.get("trigger"), []).append(entry)
    profile = _passes_summary(by_trigger.get("events", []))
    if profile:
        profile["passes_that_deferred_marts"] = sum(1 for e in by_trigger["events"] if e.get("deferred_marts"))
    deferred = _passes_summary(by_trigger.get("deferred marts", []))
    if deferred:
        profile["deferred_marts_passes"] = deferred
    return profile


def _passes_summary(entries: list[dict]) -> dict:
    totals = [entry.get("seconds_total", 0.0) for entry in entries]
    steps: dict[str, list[float]] = {}
    for entry in entries:
        for step, seconds in (entry.get("step_seconds") or {}).items():
            steps.setdefault(step, []).append(seconds)
    if not totals:
        return {}
    return {
        "passes": len(totals),
        "pass_seconds_median": round(statistics.median(totals), 3),
        "pass_seconds_max": round(max(totals), 3),
        "step_seconds_median": {step: round(statistics.median(values), 3) for step, values in sorted(steps.items())},
    }


def _log_tail(stack, component: str) -> list[str]:
    try:
        return (stack.var_dir / "log" / f"{component}.log").read_text(errors="replace").splitlines()[-15:]
    except OSError:
        return []


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    with running_stack() as stack:
        sequential, stream, arrivals = asyncio.run(_measure(stack, args))
        passes = _pass_profile(stack)
        missing_log = _log_tail(stack, "pipeline") if any(w.visible_after is None for w in stream) else []
    visible, on_nats, missing = _latencies(stream, arrivals)
    alone, alone_nats, _ = _latencies(sequential, arrivals)
    p50, p95 = percentile(visible, 50), percentile(visible, 95)
    nats_p50, nats_p95 = percentile(on_nats, 50), percentile(on_nats, 95)
    result = {
        "writes": len(visible),
        "interval_s": args.interval,
        "visible_in_stats_p50_s": round(p50, 2),
        "visible_in_stats_p95_s": round(p95, 2),
        "visible_in_stats_max_s": round(max(visible), 2),
        "on_nats_p50_s": round(nats_p50, 3),
        "on_nats_p95_s": round(nats_p95, 3),
        "stats_vs_nats_p50_ratio": round(p50 / nats_p50, 1) if nats_p50 else None,
        "one_at_a_time": {
            "writes": len(alone),
            "visible_in_stats_p50_s": round(percentile(alone, 50), 2),
            "visible_in_stats_max_s": round(max(alone), 2) if alone else None,
            "on_nats_p50_s": round(percentile(alone_nats, 50), 3),
        },
        "target_max_s": TARGET_MAX_SECONDS,
        "target_p95_s": TARGET_P95_SECONDS,
        "not_visible_within_s": WAIT_SECONDS,
        "not_visible_writes": missing,
        "not_visible_pipeline_log_tail": missing_log,
        "target_met": max(visible) <= TARGET_MAX_SECONDS and not missing,
        "p95_target_met": p95 <= TARGET_P95_SECONDS,
        "pipeline_passes": passes,
    }
    rows = [
        (f"stream: a write every {args.interval:g} s → visible in the stats API", p50, p95, max(visible)),
        ("stream: the event on NATS (baseline)", nats_p50, nats_p95, max(on_nats) if on_nats else float("nan")),
    ]
    if alone:
        rows.append(
            ("one at a time, quiet pipeline → visible", percentile(alone, 50), percentile(alone, 95), max(alone))
        )
    print_table(
        f"freshness ({len(visible)} writes as a stream, {len(alone)} one at a time)",
        ("path", "p50 s", "p95 s", "max s"),
        rows,
    )
    if missing:
        print(f"  {len(missing)} write(s) not visible within {WAIT_SECONDS:.0f} s (pipeline log tail in the result)")
    print(f"  target: slowest ≤ {TARGET_MAX_SECONDS:.0f} s: {verdict(result['target_met'])}")
    print(f"  wanted: p95 ≤ {TARGET_P95_SECONDS:.0f} s: {verdict(result['p95_target_met'])}")
    if passes:
        median, steps = passes["pass_seconds_median"], passes["step_seconds_median"]
        print(f"  pipeline pass (median of {passes['passes']}): {median} s; steps {steps}")
        if "deferred_marts_passes" in passes:
            full = passes["deferred_marts_passes"]
            print(f"  passes building deferred marts ({full['passes']}): median {full['pass_seconds_median']} s")
    write_result("freshness", result)
    return result


if __name__ == "__main__":
    main()
