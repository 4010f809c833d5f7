"""A headless Chromium driven over the DevTools protocol: enough to log in to the dashboards, follow the sidebar,
wait for a page's content (Streamlit renders over a WebSocket) and take screenshots."""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import connect

from hub.embedded import free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Streamlit is done with a run when no spinner and no "running" status widget is left on the page.
_SETTLED = """
(() => {
  const busy = document.querySelector('[data-testid="stSpinner"], [data-testid="stStatusWidget"] [aria-label]');
  const main = document.querySelector('[data-testid="stMain"], section.main');
  return !busy && main && main.innerText.trim().length > 0;
})()
"""


class Chromium:
    def __init__(self, *, width: int = 1400, height: int = 1000, timeout: float = 30.0):
        if CHROMIUM is None:
            raise RuntimeError("chromium is not installed")
        self.timeout = timeout
        self.width = width
        self.profile = tempfile.mkdtemp(prefix="hub-chromium-")
        port = free_port()
        self.process = subprocess.Popen(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", f"--remote-debugging-port={port}", f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}", "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        page = self._first_page(f"http://127.0.0.1:{port}")
        self.socket = connect(page["webSocketDebuggerUrl"], max_size=None, open_timeout=timeout)
        self.ids = itertools.count(1)
        self.send("Page.enable")
        self.send("Runtime.enable")

    def _first_page(self, base: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                pages = [t for t in httpx.get(f"{base}/json", timeout=2).json() if t.get("type") == "page"]
                if pages:
                    return pages[0]
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("chromium did not open its debugging port")
            time.sleep(0.1)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        message_id = next(self.ids)
        self.socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=self.timeout))
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, *, timeout: float | None = None, what: str = "the page") -> Any:
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                shown = self.evaluate("document.body.innerText.slice(0, 1500)")
                waited = timeout or self.timeout
                raise TimeoutError(f"{what} did not appear within {waited:.0f}s; the page says: {shown}")
            time.sleep(0.2)

    def settle(self, *, pause: float = 0.5) -> None:
        """Wait until Streamlit has finished the current run (twice in a row, as a run can start another)."""
        for _ in range(2):
            time.sleep(pause)
            self.wait_for(_SETTLED, what="the page's content")

    def goto(self, url: str) -> None:
        self.send("Page.navigate", url=url)
        self.settle()

    def type_into(self, selector: str, text: str) -> None:
        self.wait_for(f"!!document.querySelector({json.dumps(selector)})", what=selector)
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", text=text)

    def click_text(self, tag: str, text: str) -> None:
        """Click the first ``tag`` element whose visible text is ``text``."""
        found = self.wait_for(
            f"""(() => {{
                const el = [...document.querySelectorAll({json.dumps(tag)})]
                    .find(e => e.innerText.trim() === {json.dumps(text)});
                if (el) {{ el.click(); return true; }}
                return false;
            }})()""",
            what=f"{tag} '{text}'",
        )
        assert found
        self.settle()

    def text(self) -> str:
        return self.evaluate("document.body.innerText") or ""

    def screenshot(self, path: Path) -> Path:
        """The whole page: the window grows to the height of Streamlit's scrolling main area for the shot."""
        height = self.evaluate(
            'Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], [data-testid="stSidebar"]\')]'
            ".map(e => e.scrollHeight), window.innerHeight)"
        )
        metrics = {"width": self.width, "height": int(height), "deviceScaleFactor": 1, "mobile": False}
        self.send("Emulation.setDeviceMetricsOverride", **metrics)
        time.sleep(0.5)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        self.send("Emulation.clearDeviceMetricsOverride")
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


def log_in(browser: Chromium, base_url: str, email: str, password: str) -> None:
    browser.goto(base_url)
    browser.type_into('input[aria-label="E-mail"]', email)
    browser.type_into('input[aria-label="Password"]', password)
    browser.click_text("button", "Log in")
    browser.wait_for("!document.querySelector('input[aria-label=\"Password\"]')", what="the first page after login")
    browser.settle()
