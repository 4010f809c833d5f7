"""Transfer ids resolved for the caller: a transfer of neither of the caller's clubs (the one the player leaves or the
one they join) is not found; a member who is not an admin is refused (403)."""

from __future__ import annotations

from dataclasses import dataclass

from operational.kit.loaders import Loader
from operational.payments.transfers import policies, repository
from operational.payments.transfers.models import Transfer


@dataclass(frozen=True)
class ClubsTransfer:
    """A transfer as one of its two clubs sees it (``org_id``: the caller's club, the leaving or the joining one)."""

    transfer: Transfer
    org_id: object


async def _fetch(session, principal, transfer_id):
    if policies.can_move_between_clubs(principal):
        transfer = await repository.get_transfer(session, transfer_id)
    else:
        transfer = await repository.get_transfer_in_club(session, principal.org_id, transfer_id)
    return None if transfer is None else ClubsTransfer(transfer, principal.org_id)


transfer_loader = Loader("transfer", _fetch, allowed=policies.can_move_players, denied=policies.ADMINS_ONLY)

TransferInPath = transfer_loader.from_path("transfer_id")
