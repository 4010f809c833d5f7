"""Several API replicas deliver alike: a message posted through one reaches the WebSockets held by another (fanned
out through NATS), a member's and a minor member's guardian's alike."""

from __future__ import annotations

import json
import time

import httpx
from websockets.sync.client import connect as websocket

from operational.gateway import create_app
from tests.operational.comms.helpers import BASE
from tests.servers import served


def _wait_until(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_a_message_posted_through_one_replica_arrives_on_sockets_held_by_the_other(settings, comms_club):
    coach, player, parent = comms_club["coach"], comms_club["player"], comms_club["parent"]
    first_app, second_app = create_app(settings), create_app(settings)
    with served(first_app) as first, served(second_app) as second:
        _wait_until(
            lambda: first_app.state.live.following and second_app.state.live.following,
            timeout=30,
            what="the replicas did not subscribe to live updates",
        )
        listed = httpx.get(f"{first}{BASE}/conversations", headers=coach.headers).json()
        channel = next(c["id"] for c in listed if c["kind"] == "team")
        live = first.replace("http", "ws", 1) + f"{BASE}/live?access_token="
        with websocket(live + player.token) as players, websocket(live + parent.token) as parents:
            for socket in (players, parents):
                assert json.loads(socket.recv(timeout=10)) == {"type": "ready"}
            posted = httpx.post(f"{second}{BASE}/conversations/{channel}/messages", json={"body": "Game day!"},
                                headers=coach.headers)  # fmt: skip
            assert posted.status_code == 201, posted.text
            for socket in (players, parents):
                update = json.loads(socket.recv(timeout=10))
                assert (update["type"], update["message"]["id"]) == ("message", posted.json()["id"])
