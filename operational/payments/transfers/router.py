"""Player transfers: start one, follow its saga (every step's state), list a club's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request, status

from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.errors import Forbidden
from operational.kit.pagination import PageDep
from operational.payments.config import SettingsDep
from operational.payments.transfers import policies, repository, service, starting
from operational.payments.transfers.loaders import TransferInPath
from operational.payments.transfers.schemas import TransferCreate, TransferPage, TransferRead, TransferStatus

router = APIRouter(prefix="/api/v1/payments", tags=["payments"])


@router.post("/transfers", status_code=status.HTTP_202_ACCEPTED, response_model=TransferRead)
async def start_transfer(
    body: TransferCreate,
    session: SessionDep,
    user: CurrentUser,
    settings: SettingsDep,
    request: Request,
    background: BackgroundTasks,
) -> TransferRead:
    """Club admin: move a player from one team to another (a platform admin: into another club). The membership
    changes, and with them calendar, training, chat channels, and the fees (a pro-rata credit on the old team's fee,
    a pro-rata charge on the new one) are done as one saga right after this answer: `GET /transfers/{id}` shows it
    `completed`, or `compensated` with the reason when a step failed and the done ones were undone."""
    transfer = await starting.start(session, user, body)
    background.add_task(service.drive_quietly, request.app.state.engine, settings, transfer.id)
    return await starting.transfer_read(session, transfer)


@router.get("/transfers", response_model=TransferPage)
async def list_transfers(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    transfer_status: Annotated[TransferStatus | None, Query(alias="status", description="Only these")] = None,
) -> TransferPage:
    """Club admin: the club's transfers (players leaving it or joining it), the latest first."""
    if not policies.can_move_players(user):
        raise Forbidden(policies.ADMINS_ONLY)
    transfers, total = await repository.list_transfers(session, user.org_id, page, status=transfer_status)
    items = [await starting.transfer_read(session, transfer) for transfer in transfers]
    return TransferPage.of(items, total, page, convert=lambda item: item)


@router.get("/transfers/{transfer_id}", response_model=TransferRead)
async def get_transfer(found: TransferInPath, session: SessionDep) -> TransferRead:
    """Club admin of either club: the transfer's status, each step's state and attempts, what was undone and why."""
    return await starting.transfer_read(session, found.transfer)
