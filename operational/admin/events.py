"""Events the admin service emits."""

from __future__ import annotations

from contracts import admin as contract
from contracts.envelope import EventEnvelope
from operational.kit.auth import Principal
from operational.kit.events import new_event


def page_viewed(principal: Principal, page: str) -> EventEnvelope:
    data = contract.PageViewed(page=page)
    return new_event(
        contract.PageViewedEvent, org_id=principal.org_id, subject_id=principal.user_id, actor=principal, data=data
    )
