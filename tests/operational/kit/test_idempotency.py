"""Idempotency-Key on creating requests: a retried POST is answered with the first response and applied once."""

from __future__ import annotations

import uuid
from datetime import date


def _log(gateway, player, body, key):
    return gateway.post("/api/v1/training/rpe-logs", json=body, headers={**player.headers, "Idempotency-Key": key})


def _logs_of_the_day(gateway, player, day):
    response = gateway.get("/api/v1/training/rpe-logs", params={"from": day, "to": day}, headers=player.headers)
    return response.json()["total"]


def test_a_double_tap_with_one_key_logs_one_session_and_replays_the_first_answer(gateway, club):
    player = club["player"]
    day = date.today().isoformat()
    body = {"session_date": day, "rpe": 6, "duration_minutes": 75}
    key = str(uuid.uuid4())

    first = _log(gateway, player, body, key)
    again = _log(gateway, player, body, key)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert _logs_of_the_day(gateway, player, day) == 1


def test_the_same_key_with_another_body_is_refused(gateway, club):
    player = club["player"]
    day = date.today().isoformat()
    key = str(uuid.uuid4())
    assert _log(gateway, player, {"session_date": day, "rpe": 6, "duration_minutes": 75}, key).status_code == 201

    other = _log(gateway, player, {"session_date": day, "rpe": 7, "duration_minutes": 75}, key)

    assert other.status_code == 409
    assert "different request" in other.json()["error"]["message"]
    assert _logs_of_the_day(gateway, player, day) == 1


def test_keys_belong_to_their_caller(gateway, club):
    day = date.today().isoformat()
    body = {"session_date": day, "rpe": 5, "duration_minutes": 60}
    key = "shared-key"

    mine = _log(gateway, club["player"], body, key)
    theirs = _log(gateway, club["teammate"], body, key)

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["player_id"] != theirs.json()["player_id"]


def test_a_refused_request_can_be_retried_with_its_key_once_fixed(gateway, club):
    player = club["player"]
    day = date.today().isoformat()
    key = str(uuid.uuid4())
    refused = _log(
        gateway,
        player,
        {"session_date": day, "rpe": 6, "duration_minutes": 75, "player_id": str(club["teammate"].id)},
        key,
    )
    assert refused.status_code in (403, 404)  # the teammate is not the player's to log for

    retried = _log(
        gateway,
        player,
        {"session_date": day, "rpe": 6, "duration_minutes": 75, "player_id": str(club["teammate"].id)},
        key,
    )

    assert retried.status_code == refused.status_code and "Idempotent-Replayed" not in retried.headers


def test_a_key_that_is_not_printable_or_too_long_is_a_clear_422(gateway, club):
    player = club["player"]
    body = {"session_date": date.today().isoformat(), "rpe": 6, "duration_minutes": 75}

    response = _log(gateway, player, body, "x" * 300)

    assert response.status_code == 422 and response.json()["error"]["field"] == "Idempotency-Key"


def test_every_post_documents_the_header(gateway):
    document = gateway.get("/openapi.json").json()
    posts = [(path, item["post"]) for path, item in document["paths"].items() if "post" in item]
    assert posts
    for path, operation in posts:
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert "Idempotency-Key" in names, path


def _set_state(settings, key, state, *, expired=False):
    import asyncio

    from sqlalchemy import text

    from operational.kit.db import create_engine

    async def go():
        engine = create_engine(settings.database_url, pool_size=1)
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE hub_kit.idempotency_keys SET state = :state, response_body = NULL, "
                    "locked_until = CASE WHEN :expired THEN now() - interval '1 second' ELSE locked_until END "
                    "WHERE key = :key"
                ),
                {"state": state, "key": key, "expired": expired},
            )
        await engine.dispose()

    asyncio.run(go())


def test_a_request_that_committed_but_lost_its_response_is_never_applied_again(gateway, club, settings):
    player = club["player"]
    day = date.today().isoformat()
    body = {"session_date": day, "rpe": 4, "duration_minutes": 40}
    key = str(uuid.uuid4())
    assert _log(gateway, player, body, key).status_code == 201
    _set_state(settings, key, "committed")  # as if the process died between commit and storing the response

    retried = _log(gateway, player, body, key)

    assert retried.status_code == 409 and "already applied" in retried.json()["error"]["message"]
    assert _logs_of_the_day(gateway, player, day) == 1


def test_a_request_that_died_before_committing_is_run_by_the_retry(gateway, club, settings):
    player = club["player"]
    day = date.today().isoformat()
    # the first attempt did commit here (its key is only made to look unfinished), so the log says the retry is
    # deliberate; a real retry after a crash before the commit finds no first log
    body = {"session_date": day, "rpe": 4, "duration_minutes": 40, "allow_duplicate": True}
    key = str(uuid.uuid4())
    assert _log(gateway, player, body, key).status_code == 201
    _set_state(settings, key, "started")
    in_progress = _log(gateway, player, body, key)
    _set_state(settings, key, "started", expired=True)

    retried = _log(gateway, player, body, key)

    assert in_progress.status_code == 409 and in_progress.headers["Retry-After"] == "1"
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers
