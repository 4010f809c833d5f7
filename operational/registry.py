"""THE list of services. Adding a service is a folder under operational/ and one line here (docs/adding-a-service.md).

The gateway mounts every service's routers, ``hub migrate`` runs every service's migrations (the kit's first), the
worker relays every outbox and runs every service's consumer and periodic jobs, and the tests check that the compose
file and the contracts registry agree with this list.
"""

from __future__ import annotations

from operational.admin.app import SERVICE as ADMIN
from operational.calendar.app import SERVICE as CALENDAR
from operational.comms.app import SERVICE as COMMS
from operational.kit.app import SERVICE as KIT
from operational.kit.service import Service
from operational.medical.app import SERVICE as MEDICAL
from operational.payments.app import SERVICE as PAYMENTS
from operational.planning.app import SERVICE as PLANNING
from operational.training.app import SERVICE as TRAINING
from operational.users.app import SERVICE as USERS

SERVICES: tuple[Service, ...] = (
    KIT,
    USERS,
    TRAINING,
    CALENDAR,
    MEDICAL,
    PLANNING,
    ADMIN,
    COMMS,
    PAYMENTS,
)


def service(name: str) -> Service:
    return next(s for s in SERVICES if s.name == name)
