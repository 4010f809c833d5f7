"""Who may see and do what with a club's money. Pure rules over the caller's token and the loaded object; the
loaders (loaders.py) apply them to every id a client sends.

- The treasurer's work (fee plans, invoice runs, issuing, voiding, marking payments, credit notes) is the club
  admin's.
- An invoice is seen by the club admin, by whoever is asked to pay it, by the player it is for, and by that player's
  guardian. Coaches, physical trainers and medical staff see nothing financial.
- A draft is the treasurer's working copy: nobody else knows it exists. It is left out of their lists and, by id, not
  found (404), its PDF and instalments included, until it is issued.
- Another club's ids are not found (404), whatever the role.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from operational.kit.auth import Principal
from operational.kit.roster import RosterPlayer, RosterTeam

TREASURERS = frozenset({"club_admin", "platform_admin"})
TREASURER_ONLY = "Only the club's treasurer (a club admin) can do that."
NOT_YOUR_INVOICE = "You can see your own invoices and your family's; this one is someone else's."


def is_treasurer(principal: Principal, _obj=None) -> bool:
    return principal.has_any_role(*TREASURERS)


def sees_drafts(principal: Principal) -> bool:
    return is_treasurer(principal)


def can_read_invoice(principal: Principal, invoice) -> bool:
    if is_treasurer(principal):
        return True
    return invoice.status != "draft" and (
        invoice.payer_id == principal.user_id or principal.acts_for(invoice.player_id)
    )


def can_see_player_finances(principal: Principal, player: RosterPlayer) -> bool:
    return is_treasurer(principal) or principal.acts_for(player.id)


def can_bill_team(principal: Principal, _team: RosterTeam) -> bool:
    return is_treasurer(principal)


@dataclass(frozen=True)
class InvoiceScope:
    """Which invoices the caller may know of: all of the club's (``everything``), or those the caller pays or that are
    for one of ``player_ids`` (the caller and the minors they act for); drafts only when ``drafts`` (the treasurer).
    The repository turns it into SQL for lists and for lookups by id, so every read follows the same rule."""

    everything: bool
    drafts: bool
    user_id: uuid.UUID
    player_ids: frozenset[uuid.UUID]


def invoice_scope(principal: Principal) -> InvoiceScope:
    return InvoiceScope(
        everything=is_treasurer(principal),
        drafts=sees_drafts(principal),
        user_id=principal.user_id,
        player_ids=principal.guardian_of | {principal.user_id},
    )
