"""The floor for the API benchmark: a hello-world FastAPI app, served exactly like the gateway."""

from __future__ import annotations

from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/hello")
    async def hello() -> dict:
        return {"hello": "world"}

    return app
