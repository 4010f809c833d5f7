from __future__ import annotations

from fastapi import APIRouter

from operational.kit.auth import CurrentUser
from operational.stats.finance import service
from operational.stats.finance.schemas import ClubFinanceRead
from operational.stats.repository import SnapshotDep

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])


@router.get("/finance", response_model=ClubFinanceRead)
def club_finance(user: CurrentUser, snapshot: SnapshotDep) -> ClubFinanceRead:
    """The club's fees per team and currency: invoiced, collected, outstanding and overdue amounts (minor units), the
    collection rate and the average days to pay, with the club's totals per currency; the same per age group (with
    the average fee); money received and refunded per month; and per reminder level, the reminders sent and the
    share whose invoice was settled within 14 days after. For the club's admins."""
    return service.club_finance(snapshot, user)
