"""Events of the transfer saga: started, completed (with what was credited and charged) and compensated."""

from __future__ import annotations

from contracts import payments as contract
from operational.kit.events import new_event
from operational.payments.transfers.models import Transfer


def _facts(transfer: Transfer) -> dict:
    return {
        "transfer_id": transfer.id,
        "player_id": transfer.player_id,
        "from_team_id": transfer.from_team_id,
        "to_org_id": transfer.to_org_id,
        "to_player_id": transfer.to_player_id,
        "to_team_id": transfer.to_team_id,
        "effective_on": transfer.effective_on,
    }


def _event(model, transfer: Transfer, data):
    return new_event(model, org_id=transfer.org_id, subject_id=transfer.id, actor=transfer.started_by, data=data)


def transfer_started(transfer: Transfer):
    return _event(contract.TransferStartedEvent, transfer, contract.TransferStarted(**_facts(transfer)))


def transfer_completed(transfer: Transfer, credited_minor: int, charged_minor: int, currency: str | None):
    data = contract.TransferCompleted(
        **_facts(transfer), credited_minor=credited_minor, charged_minor=charged_minor, currency=currency
    )
    return _event(contract.TransferCompletedEvent, transfer, data)


def transfer_compensated(transfer: Transfer, failed_step: str, reason: str):
    data = contract.TransferCompensated(**_facts(transfer), failed_step=failed_step, reason=reason)
    return _event(contract.TransferCompensatedEvent, transfer, data)
