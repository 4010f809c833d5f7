"""Worker processes of an API server (``hub serve gateway --workers N``): uvicorn starts each from an import string.

Every worker builds its app through :func:`create_app`, which first asks the kernel for SIGTERM when the process that
started it dies (PR_SET_PDEATHSIG), so that workers never outlive their server, even one killed with SIGKILL; then
builds the app the server was asked to serve (named in ``HUB_WORKER_FACTORY``).
"""

from __future__ import annotations

import ctypes
import importlib
import os
import signal

from hub.supervisor import _PR_SET_PDEATHSIG as PR_SET_PDEATHSIG

FACTORY_VARIABLE = "HUB_WORKER_FACTORY"
WORKER_FACTORY = "hub.serve_workers:create_app"


def worker_factory(factory: str) -> str:
    """The import string uvicorn's workers start from to build ``factory`` (``module:function``)."""
    os.environ[FACTORY_VARIABLE] = factory
    return WORKER_FACTORY


def create_app():
    """uvicorn's factory in a worker: die with the server, then build the app ``HUB_WORKER_FACTORY`` names."""
    _die_with_parent()
    module, _, name = os.environ[FACTORY_VARIABLE].partition(":")
    return getattr(importlib.import_module(module), name)()


def _die_with_parent() -> None:
    server = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != server:  # the server died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)
