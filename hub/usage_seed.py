"""The demo club's use of Hockey Hub over the seeded weeks: sign-ins and dashboard page views on past days, so the
usage reports (DAU/WAU/MAU, lifecycle, adoption, last sign-ins) have figures to show from the first pipeline run.

The events are the ones the users and admin services write (``users.session.signed_in``, ``admin.page.viewed``),
dated on the day they stand for, through the services' outboxes like real use.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from operational.admin import events as admin_events
from operational.admin.models import outbox as admin_outbox
from operational.users import events as users_events
from operational.users import service as users_service
from operational.users.models import User
from operational.users.models import outbox as users_outbox

# How likely each role is to come on a given day, and which pages staff open when they do.
DAILY_VISIT_CHANCE = {"club_admin": 0.5, "coach": 0.85, "physical_trainer": 0.7, "medical_staff": 0.4,
                      "parent": 0.25, "player": 0.55}  # fmt: skip
STAFF_PAGES = ("team-load", "load-board", "logged-today", "attendance", "player-detail")
STAFF_ROLES = {"club_admin", "coach", "physical_trainer", "medical_staff"}


def _at(day: date, hour: int, minute: int, time_zone: str) -> datetime:
    return datetime.combine(day, time(hour, minute), ZoneInfo(time_zone))


async def seed_usage(
    session, people: list[tuple[User, str]], rng: random.Random, last_day: date, weeks: int, time_zone: str
) -> int:
    """Sign-ins (and, for staff, page views) on past days for each (user, role); returns how many sign-ins.

    The first player in the list stops coming after the first half (dormant in the lifecycle), the second only
    comes back in the last week (resurrecting)."""
    players = [user for user, role in people if role == "player"]
    quiet_from = last_day - timedelta(weeks=weeks // 2)
    away = (last_day - timedelta(weeks=weeks - 1), last_day - timedelta(weeks=1))
    sign_ins = 0
    for offset in range(weeks * 7 - 1, -1, -1):
        day = last_day - timedelta(days=offset)
        for user, role in people:
            if players[:1] == [user] and day >= quiet_from:
                continue
            if players[1:2] == [user] and away[0] <= day < away[1]:
                continue
            if rng.random() > DAILY_VISIT_CHANCE.get(role, 0.3):
                continue
            principal = await users_service.principal_for(session, user, session_id=uuid.uuid4())
            moment = _at(day, rng.randint(7, 21), rng.randint(0, 59), time_zone)
            signed_in = users_events.session_signed_in(principal, method="password")
            await users_outbox.record(session, signed_in.model_copy(update={"occurred_at": moment}))
            sign_ins += 1
            if role in STAFF_ROLES:
                for n, page in enumerate(rng.sample(STAFF_PAGES, rng.randint(1, 3))):
                    viewed = admin_events.page_viewed(principal, page)
                    await admin_outbox.record(
                        session, viewed.model_copy(update={"occurred_at": moment + timedelta(minutes=n + 1)})
                    )
    return sign_ins
