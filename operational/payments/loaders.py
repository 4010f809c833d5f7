"""Every id a client sends to the payments service is resolved here: looked up in the caller's club (another club's
id, or no such thing: 404) and checked against the caller's right to it (403)."""

from __future__ import annotations

from operational.kit.loaders import Loader, in_club
from operational.kit.roster import RosterPlayer, roster_fetches
from operational.payments import policies, repository

_fetch_player, _fetch_team = roster_fetches(repository)

player_loader = Loader("player", _fetch_player)
finance_player = player_loader.narrowed(policies.can_see_player_finances, policies.NOT_YOUR_INVOICE)

team_loader = Loader("team", _fetch_team)
billed_team = team_loader.narrowed(policies.can_bill_team, policies.TREASURER_ONLY)

fee_plan_loader = Loader(
    "fee plan", in_club(repository.get_fee_plan), allowed=policies.is_treasurer, denied=policies.TREASURER_ONLY
)


async def _fetch_invoice(session, principal, invoice_id):
    # a draft is not found by anyone but the treasurer (policies.InvoiceScope)
    scope = policies.invoice_scope(principal)
    return await repository.get_invoice_in_scope(session, principal.org_id, scope, invoice_id)


invoice_loader = Loader("invoice", _fetch_invoice, allowed=policies.can_read_invoice, denied=policies.NOT_YOUR_INVOICE)
invoice_editor = invoice_loader.narrowed(policies.is_treasurer, policies.TREASURER_ONLY)

payment_loader = Loader(
    "payment", in_club(repository.get_payment), allowed=policies.is_treasurer, denied=policies.TREASURER_ONLY
)


async def _fetch_member(session, principal, user_id):
    if await repository.is_member(session, principal.org_id, user_id):
        return RosterPlayer(id=user_id, org_id=principal.org_id, team_ids=frozenset())
    return None


member_loader = Loader("member", _fetch_member, allowed=policies.is_treasurer, denied=policies.TREASURER_ONLY)

# dependencies for path parameters
FeePlanInPath = fee_plan_loader.from_path("fee_plan_id")
ReadableInvoice = invoice_loader.from_path("invoice_id")
EditableInvoice = invoice_editor.from_path("invoice_id")
RefundablePayment = payment_loader.from_path("payment_id")
MemberInPath = member_loader.from_path("user_id")

# filters
PlayerFilter = finance_player.from_query("player_id", "Only this player's invoices")
TeamFilter = team_loader.narrowed(policies.is_treasurer, policies.TREASURER_ONLY).from_query(
    "team_id", "Only this team's invoices"
)
