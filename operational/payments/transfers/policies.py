"""Who may move a player and who sees a transfer.

- Within a club: its club admin (or a platform admin of the platform's operator).
- Into another club: a platform admin only. Neither club's admin sees the other club's people or teams (ids reveal
  nothing across clubs), so only someone who sees both can name both ends; to a club admin another club is not
  found (404). Such a transfer is visible to the club admins of both clubs, and platform admins see every transfer.
- Everyone else: 403. A transfer neither of whose clubs is the caller's is not found (404).
"""

from __future__ import annotations

from operational.kit.auth import Principal

ADMINS = frozenset({"club_admin", "platform_admin"})
ADMINS_ONLY = "Only a club admin moves players between teams."
PLATFORM_ONLY = "No such club among yours; a platform admin moves players between clubs."


def can_move_players(principal: Principal, _obj=None) -> bool:
    return principal.has_any_role(*ADMINS)


def can_move_between_clubs(principal: Principal) -> bool:
    return principal.has_any_role("platform_admin")
