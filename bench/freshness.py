"""Freshness: a session RPE logged at the gateway → visible in the stats API, on the stack ``make up`` runs.

One write at a time: the player logs a session, then the stats API is polled every 50 ms until that day's session
count has gone up by one. The baseline is the transport alone: the moment the same event arrives on NATS (outbox →
relay → JetStream), observed by a plain subscriber. What lies between the two is the pipeline (ingest, checks,
dbt build, serving snapshot) and the stats API noticing the new snapshot.

    python -m bench freshness [--writes 100]

Targets: the slowest write visible within 15 s (must), p95 within 5 s (wanted).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
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
PLAYER = "elias.nilsson@northside.example.org"
COACH = "coach@northside.example.org"


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench freshness")
    parser.add_argument("--writes", type=int, default=3 if quick() else 100)
    return parser.parse_args(argv)


async def _session_count(stats: httpx.AsyncClient, url: str, day: str, headers: dict) -> int:
    response = await stats.get(url, params={"from": day, "to": day}, headers=_sent(headers))
    if response.status_code == 401:  # a run of 100 writes outlasts a 15-minute access token: sign in again
        headers.update(await asyncio.to_thread(_login_headers, headers["_login"]))
        response = await stats.get(url, params={"from": day, "to": day}, headers=_sent(headers))
    if response.status_code == 503:  # no snapshot published yet
        return 0
    response.raise_for_status()
    return sum(d["session_count"] for d in response.json()["days"])


def _login_headers(login) -> dict:
    return login()


def _sent(headers: dict) -> dict:
    return {k: v for k, v in headers.items() if not k.startswith("_")}


async def _measure(stack, writes: int) -> tuple[list[float], list[float]]:
    player = {**stack.login(PLAYER), "_login": lambda: stack.login(PLAYER)}
    coach = {**stack.login(COACH), "_login": lambda: stack.login(COACH)}
    arrivals: dict[str, float] = {}
    nc = await nats.connect(stack.nats_url)

    async def on_event(msg) -> None:
        arrivals[json.loads(msg.data)["subject_id"]] = time.monotonic()  # the event is about the log

    await nc.subscribe("hub.training.session_rpe.logged", cb=on_event)
    visible, on_nats, missing = [], [], []
    try:
        async with (
            httpx.AsyncClient(base_url=stack.gateway, timeout=30) as gateway,
            httpx.AsyncClient(base_url=stack.stats, timeout=30) as stats,
        ):
            me = (await gateway.get("/api/v1/users/me", headers=_sent(player))).json()
            url = f"/api/v1/stats/players/{me['id']}/daily-load"
            # the club's calendar days (Europe/Stockholm), as the stats API's period is
            yesterday = datetime.now(ZoneInfo("Europe/Stockholm")).date() - timedelta(days=1)
            for n in range(writes):
                day = (yesterday - timedelta(days=n % 14)).isoformat()
                before = await _session_count(stats, url, day, coach)
                started = time.monotonic()
                body = {"session_date": day, "rpe": 5 + n % 4, "duration_minutes": 30 + n % 60}
                response = await gateway.post("/api/v1/training/rpe-logs", json=body, headers=_sent(player))
                if response.status_code == 401:
                    player.update(await asyncio.to_thread(_login_headers, player["_login"]))
                    response = await gateway.post("/api/v1/training/rpe-logs", json=body, headers=_sent(player))
                response.raise_for_status()
                log_id = response.json()["id"]
                deadline = started + WAIT_SECONDS
                while await _session_count(stats, url, day, coach) <= before:
                    if time.monotonic() > deadline:
                        # counted as WAIT_SECONDS (a floor, so the percentiles stay honest) and the pipeline's
                        # last words kept for whoever reads the result
                        missing.append({"write": n, "pipeline_log_tail": _log_tail(stack, "pipeline")})
                        break
                    await asyncio.sleep(0.05)
                visible.append(time.monotonic() - started)
                if log_id in arrivals:
                    on_nats.append(arrivals[log_id] - started)
    finally:
        await nc.close()
    return visible, on_nats, missing


def _pass_profile(stack) -> dict:
    """Median seconds of the pipeline's passes and of each of their steps (ingest, checks, dbt build, serving
    snapshot), from the runner's one JSON line per pass: where the time between NATS and the stats API goes."""
    totals, steps = [], {}
    try:
        lines = (stack.var_dir / "log" / "pipeline.log").read_text(errors="replace").splitlines()
    except OSError:
        return {}
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict) or entry.get("message") != "pipeline pass" or entry.get("trigger") != "events":
            continue
        totals.append(entry.get("seconds_total", 0.0))
        for step, seconds in (entry.get("step_seconds") or {}).items():
            steps.setdefault(step, []).append(seconds)
    if not totals:
        return {}
    return {
        "passes": len(totals),
        "pass_seconds_median": round(statistics.median(totals), 3),
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
        visible, on_nats, missing = asyncio.run(_measure(stack, args.writes))
        passes = _pass_profile(stack)
    p50, p95 = percentile(visible, 50), percentile(visible, 95)
    nats_p50, nats_p95 = percentile(on_nats, 50), percentile(on_nats, 95)
    result = {
        "writes": len(visible),
        "visible_in_stats_p50_s": round(p50, 2),
        "visible_in_stats_p95_s": round(p95, 2),
        "visible_in_stats_max_s": round(max(visible), 2),
        "on_nats_p50_s": round(nats_p50, 3),
        "on_nats_p95_s": round(nats_p95, 3),
        "stats_vs_nats_p50_ratio": round(p50 / nats_p50, 1) if nats_p50 else None,
        "target_max_s": TARGET_MAX_SECONDS,
        "target_p95_s": TARGET_P95_SECONDS,
        "not_visible_within_s": WAIT_SECONDS,
        "not_visible_writes": missing,
        "target_met": max(visible) <= TARGET_MAX_SECONDS and not missing,
        "p95_target_met": p95 <= TARGET_P95_SECONDS,
        "pipeline_passes": passes,
    }
    rows = [
        ("POST rpe-log → visible in the stats API", p50, p95, max(visible)),
        ("POST rpe-log → event on NATS (baseline)", nats_p50, nats_p95, max(on_nats) if on_nats else float("nan")),
    ]
    print_table(f"freshness ({len(visible)} writes, one at a time)", ("path", "p50 s", "p95 s", "max s"), rows)
    if missing:
        print(f"  {len(missing)} write(s) not visible within {WAIT_SECONDS:.0f} s (pipeline log tail in the result)")
    print(f"  target: slowest ≤ {TARGET_MAX_SECONDS:.0f} s: {verdict(result['target_met'])}")
    print(f"  wanted: p95 ≤ {TARGET_P95_SECONDS:.0f} s: {verdict(result['p95_target_met'])}")
    if passes:
        median, steps = passes["pass_seconds_median"], passes["step_seconds_median"]
        print(f"  pipeline pass (median of {passes['passes']}): {median} s; steps {steps}")
    write_result("freshness", result)
    return result


if __name__ == "__main__":
    main()
