"""Policy helpers every service uses the same way: role checks and tenant scoping.

Services report an object of another club as not found, never as forbidden, so ids reveal nothing across tenants.
"""

from __future__ import annotations

import uuid

from operational.kit.auth import Principal
from operational.kit.errors import Forbidden


def require_any_role(principal: Principal, *roles: str, action: str) -> None:
    if not principal.has_any_role(*roles):
        raise Forbidden(f"Only {' or '.join(r.replace('_', ' ') for r in roles)} can {action}.")


def in_same_org(principal: Principal, org_id: uuid.UUID | str | None) -> bool:
    return org_id is not None and str(org_id) == str(principal.org_id)
