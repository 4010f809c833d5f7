"""The transfer saga stopped at every step: a worker killed with SIGKILL (a real process) is resumed to the end; a
step that fails for good is undone. Either way every database ends up fully moved or fully back: the users
service's memberships, the fees, and the rosters calendar, training, comms (team channels) and payments keep."""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import uuid
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from operational.kit.db import session_factory, sqlalchemy_url
from operational.kit.errors import InvalidValue
from operational.payments.config import PaymentsSettings
from operational.payments.transfers import service, starting
from operational.payments.transfers.schemas import TransferCreate
from operational.users import client as users_client
from tests.messaging import drain_and_consume
from tests.operational.payments import transfer_worker
from tests.operational.payments.helpers import BASE, day, sql

STEPS = ("leave_old_team", "join_new_team", "credit_old_fee", "charge_new_fee")
CASES = 12


async def _in_session(settings, work):
    engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
    try:
        async with session_factory(engine)() as session, session.begin():
            return await work(session)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def moving_club(settings):
    """A club whose spares (``spare1`` …) play for its first team, each with that team's fee (365 €, a 365-day season
    of which 265 days are left today) issued and 200 € of it paid; the second team's fee is 730 €."""
    from fastapi.testclient import TestClient

    from operational.gateway import create_app
    from tests.factories import make_club

    club = make_club(settings, spares=CASES)
    spares = [club[f"spare{n}"].id for n in range(1, CASES + 1)]

    async def join(session):
        for spare in spares:
            await users_client.join_team(session, club.org_id, spare, club.team_id, "player", club["admin"].id)

    asyncio.run(_in_session(settings, join))
    drain_and_consume(settings, services=["payments"])
    # they have played since the season began (the read model dates a membership by its event)
    sql(settings, "UPDATE payments.roster SET joined_on = %s WHERE org_id = %s", date.fromisoformat(day(-100)),
        club.org_id)  # fmt: skip
    admin = club["admin"].headers
    season = {"currency": "EUR", "season_start": day(-100), "season_end": day(264)}
    with TestClient(create_app(settings)) as client:
        old = client.post(f"{BASE}/fee-plans", json={"team_id": str(club.team_id), "name": "U16", "amount_minor": 36500,
                                                     **season}, headers=admin).json()  # fmt: skip
        client.post(f"{BASE}/fee-plans", json={"team_id": str(club.other_team_id), "name": "U18",
                                               "amount_minor": 73000, **season}, headers=admin)  # fmt: skip
        run = client.post(f"{BASE}/fee-plans/{old['id']}/invoice-runs", json={"due_on": day(30)}, headers=admin)
        for invoice in run.json()["invoices"]:
            if uuid.UUID(invoice["player_id"]) in spares:
                client.post(f"{BASE}/invoices/{invoice['id']}/issue", headers=admin)
                client.post(f"{BASE}/invoices/{invoice['id']}/payments", json={"amount_minor": 20000}, headers=admin)
    club.people["cases"] = iter(spares)
    return club


def _record(settings, club, player_id) -> uuid.UUID:
    """A transfer of ``player_id`` to the second team, recorded as the API does, not yet driven."""
    body = TransferCreate(player_id=player_id, from_team_id=club.team_id, to_team_id=club.other_team_id)

    async def start(session):
        return (await starting.start(session, club["admin"].principal, body)).id

    return asyncio.run(_in_session(settings, start))


def _drive(settings, transfer_id, checkpoint=service._nothing):
    async def go():
        engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
        try:
            return await service.drive(engine, PaymentsSettings(), transfer_id, checkpoint)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def _kill_worker(settings, transfer_id, kill_at, fail_at=None) -> int:
    """A worker process (forked, so it starts at once) drives the transfer until it kills itself at ``kill_at``;
    returns its exit code."""
    worker = multiprocessing.get_context("fork").Process(
        target=transfer_worker.main, args=(settings.database_url, str(transfer_id), kill_at, fail_at)
    )
    worker.start()
    worker.join(timeout=120)
    return worker.exitcode


def _fail_at(point):
    def checkpoint(reached):
        if reached == point:
            raise InvalidValue(f"Refused at {point}.")

    return checkpoint


def _teams_in(settings, schema_table, club, player_id) -> set[str]:
    rows = sql(settings, f"SELECT team_id FROM {schema_table} WHERE user_id = %s AND role = 'player'", player_id)
    names = {club.team_id: "old", club.other_team_id: "new"}
    return {names.get(row[0], "other") for row in rows}


def _assert_whole(settings, club, player_id, transfer_id, status):
    """Nothing half done: the transfer's state, the membership and the fees agree with ``status``."""
    (row,) = sql(settings, "SELECT status FROM payments.transfers WHERE id = %s", transfer_id)
    assert row[0] == status
    moved = status == "completed"
    assert _teams_in(settings, "users.memberships", club, player_id) == ({"new"} if moved else {"old"})
    (old,) = sql(settings, "SELECT status, paid_minor, credited_minor FROM payments.invoices i JOIN payments.fee_plans "
                 "f ON f.id = i.fee_plan_id WHERE i.player_id = %s AND f.name = 'U16'", player_id)  # fmt: skip
    (balance,) = sql(settings, "SELECT coalesce(sum(amount_minor), 0) FROM payments.credit_entries WHERE payer_id = %s",
                     player_id)  # fmt: skip
    new = sql(settings, "SELECT i.total_minor, i.status FROM payments.invoices i JOIN payments.fee_plans f "
              "ON f.id = i.fee_plan_id WHERE i.player_id = %s AND f.name = 'U18'", player_id)  # fmt: skip
    if moved:
        # 265 of 365 days left: 265 € of the 365 € fee credited (165 € still due, 100 € of what was paid to the
        # balance), and 530 € of the 730 € fee charged as a draft
        assert old == ("paid", 20000, 16500) and balance[0] == 10000 and new == [(53000, "draft")]
    else:
        assert old == ("open", 20000, 0) and balance[0] == 0 and new == []


ROSTERS = ("calendar", "training", "comms", "payments")  # the services whose roster read models follow a move


def _assert_read_models(settings, club, player_id, moved: bool):
    # the membership events through NATS to the consumers of those read models only (every service's consumers would
    # also work through whatever the rest of the suite has published)
    drain_and_consume(settings, services=ROSTERS)
    expected = {"new"} if moved else {"old"}
    for service_name in ROSTERS:
        assert _teams_in(settings, f"{service_name}.roster", club, player_id) == expected, service_name


@pytest.mark.parametrize("step", STEPS)
def test_a_worker_killed_after_a_step_is_resumed_to_the_end(settings, moving_club, step):
    club = moving_club
    player_id = next(club.people["cases"])
    transfer_id = _record(settings, club, player_id)

    assert _kill_worker(settings, transfer_id, f"after:{step}") == -signal.SIGKILL

    (row,) = sql(settings, "SELECT status, attempts FROM payments.transfer_steps WHERE transfer_id = %s AND name = %s",
                 transfer_id, step)  # fmt: skip
    # a step of the users service committed but was not noted; the fee steps commit with their state
    assert row == ("pending" if step in STEPS[:2] else "done", 1)
    assert _drive(settings, transfer_id) == "completed"
    _assert_whole(settings, club, player_id, transfer_id, "completed")
    if step == "join_new_team":
        _assert_read_models(settings, club, player_id, moved=True)
    (again,) = sql(settings, "SELECT attempts FROM payments.transfer_steps WHERE transfer_id = %s AND name = %s",
                   transfer_id, step)  # fmt: skip
    assert again[0] == (2 if step in STEPS[:2] else 1)


@pytest.mark.parametrize("point", [*(f"before:{step}" for step in STEPS), "after:leave_old_team",
                                   "after:join_new_team"])  # fmt: skip
def test_a_step_that_fails_for_good_undoes_the_done_ones(settings, moving_club, point):
    club = moving_club
    player_id = next(club.people["cases"])
    transfer_id = _record(settings, club, player_id)

    assert _drive(settings, transfer_id, _fail_at(point)) == "compensated"

    _assert_whole(settings, club, player_id, transfer_id, "compensated")
    failed = point.split(":")[1]
    steps = dict(sql(settings, "SELECT name, status FROM payments.transfer_steps WHERE transfer_id = %s", transfer_id))
    before = STEPS[: STEPS.index(failed)]
    assert all(steps[name] == "compensated" for name in before)
    (event,) = sql(settings, "SELECT envelope FROM payments.outbox WHERE subject = 'hub.payments.transfer.compensated' "
                   "AND envelope->>'subject_id' = %s", str(transfer_id))  # fmt: skip
    assert event[0]["data"]["failed_step"] == failed and "Refused" in event[0]["data"]["reason"]
    if point == "after:join_new_team":
        _assert_read_models(settings, club, player_id, moved=False)


def test_a_worker_killed_while_undoing_is_resumed_to_fully_undone(settings, moving_club):
    club = moving_club
    player_id = next(club.people["cases"])
    transfer_id = _record(settings, club, player_id)

    code = _kill_worker(settings, transfer_id, "undo:leave_old_team", fail_at="before:charge_new_fee")

    assert code == -signal.SIGKILL
    (row,) = sql(settings, "SELECT status FROM payments.transfers WHERE id = %s", transfer_id)
    assert row[0] == "compensating"
    assert asyncio.run(_resume(settings)) >= 1
    _assert_whole(settings, club, player_id, transfer_id, "compensated")


async def _resume(settings):
    engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
    try:
        return await service.resume_transfers(engine, PaymentsSettings())
    finally:
        await engine.dispose()


def test_today_is_the_transfer_day_by_default(settings, moving_club):
    transfer_id = _record(settings, moving_club, next(moving_club.people["cases"]))
    (row,) = sql(settings, "SELECT effective_on FROM payments.transfers WHERE id = %s", transfer_id)
    assert row[0] == date.today()
    assert _drive(settings, transfer_id) == "completed"
