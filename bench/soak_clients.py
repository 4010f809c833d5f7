"""The soak's clients, each a thread until ``stop``: players and coaches on the APIs, analysts on the serving
snapshot, a browser on the dashboards, and health probes. Every outcome goes into one :class:`Tally`.

Error kinds: ``http_5xx``; ``unexpected_4xx`` (a refusal the client did not expect, e.g. 409 on a write that has its
own Idempotency-Key); ``timeout`` (no answer within ``TIMEOUT_SECONDS``); ``connection`` (refused or reset);
``duckdb_lock`` (a DuckDB "Could not set lock" / "Conflicting lock" error: a reader ran into the writer);
``analyst_query`` (any other DuckDB or ``hub sql`` failure); ``page`` (a dashboards page that showed an exception,
or did not finish rendering within the browser's 30 s).
"""

from __future__ import annotations

import contextlib
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import duckdb
import httpx

from bench.common import percentile
from bench.stack import DEMO_PASSWORD, Stack
from warehouse.serving import current_snapshot

TIMEOUT_SECONDS = 10.0
LOCK_ERROR = re.compile(r"could not set lock|conflicting lock|database is locked", re.IGNORECASE)
# the README's analyst examples, cut to what each reads (they run on every snapshot)
ANALYST_QUERIES = (
    "SELECT p.player_name, m.metric_date, m.acwr_uncoupled_rolling FROM marts.fct_player_load_metrics AS m "
    "JOIN marts.dim_players AS p ON p.player_id = m.player_id "
    "QUALIFY row_number() OVER (PARTITION BY m.player_id ORDER BY m.metric_date DESC) = 1",
    "SELECT t.team_name, date_trunc('week', d.session_date) AS week, sum(d.session_rpe_load_au) AS load_au "
    "FROM marts.fct_player_daily_load AS d JOIN marts.dim_teams AS t ON t.team_id = d.team_id GROUP BY ALL",
    "SELECT player_id, session_date, check_entry_reason FROM marts.fct_player_daily_load "
    "WHERE check_entry_reason IS NOT NULL",
    "SELECT t.team_name, p.player_name FROM marts.dim_team_memberships AS m "
    "JOIN marts.dim_players AS p ON p.player_id = m.player_id JOIN marts.dim_teams AS t ON t.team_id = m.team_id "
    "WHERE m.is_current AND m.role = 'player'",
)
SIDEBAR_PAGES = "[...document.querySelectorAll('[data-testid=\"stSidebarNav\"] a')].map(a => a.innerText.trim())"
HELD_QUERY = "SELECT count(*) FROM marts.fct_player_daily_load"


class Tally:
    """Counts, latencies (s) and the first example of each error kind, shared by every client thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter = Counter()
        self.examples: dict[str, str] = {}
        self.snapshots_seen: set[str] = set()

    def ok(self, operation: str, seconds: float) -> None:
        with self.lock:
            self.latencies[operation].append(seconds)

    def error(self, operation: str, kind: str, detail: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            self.examples.setdefault(kind, f"{operation}: {detail}"[:400])

    def operations(self) -> dict[str, dict]:
        with self.lock:
            return {
                name: {
                    "ok": len(values),
                    "p50_ms": round(percentile(values, 50) * 1000, 1),
                    "p95_ms": round(percentile(values, 95) * 1000, 1),
                    "p99_ms": round(percentile(values, 99) * 1000, 1),
                }  # fmt: skip
                for name, values in sorted(self.latencies.items())
            }


class Client(threading.Thread):
    def __init__(self, name: str, tally: Tally, stop: threading.Event, pause: float):
        super().__init__(name=name, daemon=True)
        self.tally, self.stop, self.pause = tally, stop, pause

    def run(self) -> None:
        try:
            self.loop()
        except Exception as exc:  # a client that dies is an error too, never a silent gap in the load
            self.tally.error(self.name, "client_failed", f"{exc.__class__.__name__}: {exc}")


class ApiClient(Client):
    """A player (writes and reads their own logs and statistics) or a coach (reads the team's, plans practices)."""

    def __init__(self, stack: Stack, email: str, role: str, tally: Tally, stop: threading.Event, seed: int):
        super().__init__(f"{role} {email}", tally, stop, pause=0.3)
        self.stack, self.email, self.role = stack, email, role
        self.rng = random.Random(seed)
        self.headers: dict[str, str] = {}
        self.created: list[str] = []

    def _login(self, client: httpx.Client) -> None:
        body = {"email": self.email, "password": DEMO_PASSWORD}
        response = client.post(f"{self.stack.gateway}/api/v1/auth/login", json=body)
        response.raise_for_status()
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}

    def call(self, client: httpx.Client, operation: str, method: str, url: str, expected: tuple[int, ...], **kwargs):
        for _ in range(2):  # once more after a 401: the access token lasts 15 min
            started = time.perf_counter()
            headers = {**self.headers, **kwargs.pop("headers", {})}
            try:
                response = client.request(method, url, headers=headers, **kwargs)
            except httpx.TimeoutException:
                self.tally.error(operation, "timeout", f"{method} {url}")
                return None
            except httpx.HTTPError as exc:
                self.tally.error(operation, "connection", f"{method} {url}: {exc!r}")
                return None
            if response.status_code == 401:
                self._login(client)
                continue
            if response.status_code >= 500:
                self.tally.error(operation, "http_5xx", f"{method} {url} {response.status_code} {response.text}")
            elif response.status_code not in expected:
                self.tally.error(operation, "unexpected_4xx", f"{method} {url} {response.status_code} {response.text}")
            else:
                self.tally.ok(operation, time.perf_counter() - started)
                return response
            return None
        return None

    def loop(self) -> None:
        with httpx.Client(timeout=TIMEOUT_SECONDS) as client:
            self._login(client)
            me = client.get(f"{self.stack.gateway}/api/v1/users/me", headers=self.headers).json()
            self.user_id = me["id"]
            self.team_ids = sorted({m["team_id"] for m in me["memberships"]})
            cycle = 0
            while not self.stop.is_set():
                (self.player_step if self.role == "player" else self.coach_step)(client, cycle)
                cycle += 1
                self.stop.wait(self.pause)

    def player_step(self, client: httpx.Client, cycle: int) -> None:
        api, stats = f"{self.stack.gateway}/api/v1", f"{self.stack.stats}/api/v1/stats"
        day = date.today() - timedelta(days=self.rng.randint(1, 300))
        body = {"session_date": day.isoformat(), "rpe": self.rng.randint(1, 10), "duration_minutes": 45,
                "allow_duplicate": True}  # fmt: skip
        created = self.call(client, "api write", "POST", f"{api}/training/rpe-logs", (201,), json=body,
                            headers={"Idempotency-Key": str(uuid.uuid4())})  # fmt: skip
        if created is not None:
            self.created.append(created.json()["id"])
        self.call(client, "api read", "GET", f"{api}/training/rpe-logs", (200,), params={"limit": 20})
        self.call(client, "stats read", "GET", f"{stats}/me", (200,))
        if cycle % 4 == 3 and self.created:
            self.call(client, "api write", "PATCH", f"{api}/training/rpe-logs/{self.created[-1]}", (200,),
                      json={"rpe": self.rng.randint(1, 10)})  # fmt: skip
        if cycle % 8 == 7 and self.created:
            self.call(client, "api write", "DELETE", f"{api}/training/rpe-logs/{self.created.pop(0)}", (204,))
        if cycle % 6 == 5:
            self.call(client, "stats read", "GET", f"{stats}/players/{self.user_id}/daily-load", (200,))

    def coach_step(self, client: httpx.Client, cycle: int) -> None:
        api, stats = f"{self.stack.gateway}/api/v1", f"{self.stack.stats}/api/v1/stats"
        team = self.team_ids[cycle % len(self.team_ids)]
        self.call(client, "api read", "GET", f"{api}/training/rpe-logs", (200,), params={"team_id": team, "limit": 50})
        self.call(client, "api read", "GET", f"{api}/calendar/events", (200,), params={"team_id": team})
        self.call(client, "stats read", "GET", f"{stats}/teams/{team}/load-board", (200,))
        self.call(client, "stats read", "GET", f"{stats}/teams/{team}/daily-load", (200,))
        if cycle % 10 == 9:
            ahead = timedelta(days=self.rng.randint(1, 300), hours=self.rng.randint(0, 5))
            starts = datetime.now().astimezone() + ahead
            body = {"kind": "practice", "title": "Soak practice", "team_id": team, "duration_minutes": 60,
                    "starts_at": starts.replace(microsecond=0).isoformat()}  # fmt: skip
            self.call(client, "api write", "POST", f"{api}/calendar/events", (201,), json=body,
                      headers={"Idempotency-Key": str(uuid.uuid4())})  # fmt: skip


class AnalystClient(Client):
    """Queries on ``current.duckdb`` (a new read-only connection each time, so each sees the newest snapshot); one
    connection held from the start (its snapshot must stay readable after newer ones replace it); ``hub sql -c``
    every ``cli_every`` queries."""

    def __init__(self, stack: Stack, env: dict[str, str], tally: Tally, stop: threading.Event, cli_every: int = 30):
        super().__init__("analyst", tally, stop, pause=1.0)
        self.stack, self.env, self.cli_every = stack, env, cli_every
        self.serving = stack.var_dir / "warehouse" / "serving"

    def _query(self, operation: str, action) -> None:
        started = time.perf_counter()
        try:
            action()
        except duckdb.Error as exc:
            kind = "duckdb_lock" if LOCK_ERROR.search(str(exc)) else "analyst_query"
            self.tally.error(operation, kind, str(exc).splitlines()[0])
            return
        self.tally.ok(operation, time.perf_counter() - started)

    def _fresh(self, sql: str) -> None:
        with contextlib.closing(duckdb.connect(str(self.serving / "current.duckdb"), read_only=True)) as conn:
            conn.execute(sql).fetchall()
            published = conn.execute("SELECT published_at FROM main.snapshot_info").fetchone()[0]
        with self.tally.lock:
            self.tally.snapshots_seen.add(str(published))

    def _cli(self) -> None:
        argv = [sys.executable, "-m", "hub", "sql", "-c", ANALYST_QUERIES[1], "--format", "csv"]
        started = time.perf_counter()
        done = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            kind = "duckdb_lock" if LOCK_ERROR.search(done.stderr) else "analyst_query"
            self.tally.error("analyst hub sql", kind, done.stderr.strip()[-300:])
        else:
            self.tally.ok("analyst hub sql", time.perf_counter() - started)

    def loop(self) -> None:
        # the file CURRENT names, as `hub sql` opens it: in one process DuckDB keeps one database per path, so a held
        # connection on current.duckdb would hand every later connection to that path the same, older snapshot
        held = duckdb.connect(str(current_snapshot(self.serving)), read_only=True)
        try:
            cycle = 0
            while not self.stop.is_set():
                sql = ANALYST_QUERIES[cycle % len(ANALYST_QUERIES)]
                self._query("analyst query", lambda sql=sql: self._fresh(sql))
                if cycle % 20 == 0:
                    self._query("analyst held snapshot", lambda: held.execute(HELD_QUERY).fetchall())
                if cycle % self.cli_every == 0:
                    self._cli()
                cycle += 1
                self.stop.wait(self.pause)
        finally:
            held.close()


class HealthClient(Client):
    """The gateway's /readyz, the stats API's /healthz and Streamlit's /_stcore/health, every ``pause`` s."""

    def __init__(self, stack: Stack, tally: Tally, stop: threading.Event):
        super().__init__("health", tally, stop, pause=5.0)
        urls = stack.runtime["urls"]
        self.probes = {"gateway": f"{urls['gateway']}/readyz", "stats": f"{urls['stats']}/healthz"}
        if "dashboards" in urls:
            self.probes["dashboards"] = f"{urls['dashboards']}/_stcore/health"

    def loop(self) -> None:
        with httpx.Client(timeout=TIMEOUT_SECONDS) as client:
            while not self.stop.is_set():
                for name, url in self.probes.items():
                    started = time.perf_counter()
                    try:
                        code = client.get(url).status_code
                    except httpx.TimeoutException:
                        self.tally.error(f"health {name}", "timeout", url)
                        continue
                    except httpx.HTTPError as exc:
                        self.tally.error(f"health {name}", "connection", f"{url}: {exc!r}")
                        continue
                    if code != 200:
                        self.tally.error(f"health {name}", "http_5xx" if code >= 500 else "unexpected_4xx", url)
                    else:
                        self.tally.ok(f"health {name}", time.perf_counter() - started)
                self.stop.wait(self.pause)


class BrowserClient(Client):
    """Headless Chromium (tests/dashboards/browser.py's driver) as a coach, every ``pause`` s: a new session (log in),
    one team page from the sidebar, in turn, rendered to the end without an exception; then log out."""

    def __init__(self, stack: Stack, email: str, tally: Tally, stop: threading.Event, pause: float):
        super().__init__("browser", tally, stop, pause=pause)
        self.url, self.email = stack.runtime["urls"]["dashboards"], email

    def _page_load(self, browser, cycle: int) -> None:
        from tests.dashboards.browser import log_in

        log_in(browser, self.url, self.email, DEMO_PASSWORD)
        offered = browser.evaluate(SIDEBAR_PAGES) or [""]
        page = offered[cycle % len(offered)]
        if cycle % len(offered):
            browser.click_text('[data-testid="stSidebarNav"] a', page)
        shown = browser.evaluate("document.querySelector('[data-testid=\"stException\"]')?.innerText")
        if shown:
            raise RuntimeError(f"{page}: {shown[:300]}")
        browser.click_text("button", "logout\n\nLog out")
        browser.wait_for("!!document.querySelector('input[aria-label=\"Password\"]')", what="the login form")

    def loop(self) -> None:
        from tests.dashboards.browser import Chromium

        browser, cycle = Chromium(), 0
        try:
            while not self.stop.is_set():
                started = time.perf_counter()
                try:
                    self._page_load(browser, cycle)
                except Exception as exc:  # whatever the page or the browser did: counted, and the load goes on
                    self.tally.error("page load", "page", f"{exc.__class__.__name__}: {str(exc)[:300]}")
                    browser.close()  # a fresh browser: whatever state the page was left in is not carried over
                    browser = Chromium()
                else:
                    self.tally.ok("page load", time.perf_counter() - started)
                cycle += 1
                self.stop.wait(max(0.0, self.pause - (time.perf_counter() - started)))
        finally:
            browser.close()
