"""The dashboards in a real browser: headless Chromium logs in as coach, admin, player, parent and medical staff,
opens every page the sidebar offers, and finds names, no ids, no error naming an API path and no traceback.

Skipped where Chromium is not installed (Debian: apt-get install chromium)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from hub.embedded import free_port
from tests.dashboards.browser import CHROMIUM, Chromium, log_in
from tests.dashboards.helpers import APP
from tests.factories import PASSWORD
from tests.operational.stats.statistics_marts import StatisticsWarehouse

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")

TODAY = date.today()
TECHNICAL = re.compile(r"/api/|\bHTTP\b|Traceback|\b(Team|Player) [0-9a-f]{8}\b")


@pytest.fixture
def dashboards_url(gateway_url, stats_url, tmp_path) -> Iterator[str]:
    port = free_port()
    env = os.environ | {
        "HUB_GATEWAY_URL": gateway_url,
        "HUB_STATS_URL": stats_url,
        "PYTHONPATH": str(APP.parents[1]),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    log = (tmp_path / "streamlit.log").open("w")
    argv = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port), "--server.address",
            "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]  # fmt: skip
    server = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {(tmp_path / 'streamlit.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture
def seeded_club(warehouse, club):
    marts = StatisticsWarehouse(warehouse)
    for name in ("player", "teammate"):
        for days_ago in range(1, 4):
            day = TODAY - timedelta(days=days_ago)
            warehouse.add_day(club.org_id, club[name].id, club.team_id, day, minutes=60, rpe=6)
            marts.add_metrics_day(club.org_id, club[name].id, club.team_id, day, acwr=1.2 + days_ago / 10)
    marts.publish()
    return club


def _pages(browser: Chromium) -> list[str]:
    return browser.evaluate(
        "[...document.querySelectorAll('[data-testid=\"stSidebarNav\"] a')].map(a => a.innerText.trim())"
    ) or [""]  # fmt: skip


def _check(browser: Chromium, ids: list[str], page: str) -> None:
    text = browser.text()
    assert not browser.evaluate("!!document.querySelector('[data-testid=\"stException\"]')"), text
    assert not TECHNICAL.search(text), f"{page}: {TECHNICAL.search(text).group(0)}"
    assert not [i for i in ids if i in text or i[:8] in text], page


def _legend(browser: Chromium) -> list[str]:
    """The names in the chart's legend (Plotly draws it once the chart is on screen)."""
    return browser.wait_for(
        "(() => { const names = [...document.querySelectorAll('.legendtext')].map(e => e.textContent);"
        " return names.length ? names : null; })()",
        what="the chart's legend",
    )


# person, how many pages the sidebar offers, the first page's title
ROLES = [
    ("coach", 11, "Team load"),
    ("admin", 14, "Team load"),
    ("player", 3, "My training"),
    ("parent", 3, "My child's training"),
    ("medic", 5, "Open problems"),
]


def test_each_role_sees_its_pages_with_names_and_no_errors(dashboards_url, seeded_club, tmp_path: Path):
    """One browser logs in as each role in turn (logging out between them): the coach's every page is opened, the
    other roles' first page (their pages are the same scripts). Screenshots are left in the test's tmp_path."""
    club = seeded_club
    ids = [str(p.id) for p in club.people.values()] + [str(club.team_id), str(club.other_team_id)]
    browser = Chromium()
    try:
        for person, pages, first_title in ROLES:
            log_in(browser, dashboards_url, club[person].email, PASSWORD)
            assert browser.evaluate("document.querySelector('h1')?.innerText") == first_title, person
            offered = _pages(browser)
            assert len(offered) == pages, (person, offered)
            if person in ("coach", "admin"):
                assert _legend(browser) == ["Player", "Teammate"]
            _check(browser, ids, f"{person}: {offered[0]}")
            browser.screenshot(tmp_path / f"{person}-0.png")
            # the coach's every page; the admin's own section (club usage, system status)
            more = offered[1:] if person == "coach" else offered[-2:] if person == "admin" else []
            for index, page in enumerate(more, start=1):
                browser.click_text('[data-testid="stSidebarNav"] a', page)
                browser.screenshot(tmp_path / f"{person}-{index}.png")
                _check(browser, ids, f"{person}: {page}")
            browser.click_text("button", "logout\n\nLog out")
            browser.wait_for("!!document.querySelector('input[aria-label=\"Password\"]')", what="the login form")
    finally:
        browser.close()
