"""A started API (and the worker) keeps what it built while starting out of the cyclic collector's full walks, and
gives it back when it stops; what requests make is still collected."""

from __future__ import annotations

import gc
import weakref

from fastapi.testclient import TestClient

from operational.gateway import create_app
from tests.hub.processes import wait_until
from tests.messaging import relaying


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_a_started_api_walks_only_what_it_made_since_starting(settings) -> None:
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        walked = {id(tracked) for tracked in gc.get_objects()}
        assert id(app.router.routes) not in walked, "the routes built at start-up are walked by every full collection"
        assert gc.get_freeze_count() > 10_000

        first, second = _Node(), _Node()
        first.other, second.other = second, first  # a cycle made while serving: only the collector frees it
        gone = weakref.ref(first)
        del first, second
        gc.collect()
        assert gone() is None, "garbage made while serving was not collected"
    assert gc.get_freeze_count() == 0, "a stopped API left objects out of the collector's reach"


def test_the_worker_walks_only_what_it_made_since_starting(settings) -> None:
    with relaying(settings):
        wait_until(lambda: gc.get_freeze_count() > 10_000, timeout=10)  # frozen just after the relays report ready
    assert gc.get_freeze_count() == 0, "a stopped worker left objects out of the collector's reach"


def test_an_api_stopped_inside_another_leaves_the_other_frozen(settings) -> None:
    outer = create_app(settings)
    with TestClient(outer) as client:
        with TestClient(create_app(settings)) as inner_client:
            assert inner_client.get("/healthz").status_code == 200
        assert gc.get_freeze_count() > 10_000, "stopping the inner API gave the outer one's heap back to the collector"
        walked = {id(tracked) for tracked in gc.get_objects()}
        assert id(outer.router.routes) not in walked
        assert client.get("/healthz").status_code == 200
    assert gc.get_freeze_count() == 0, "the stopped APIs left objects out of the collector's reach"
