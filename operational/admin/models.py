from __future__ import annotations

from messaging.outbox import Outbox, make_outbox_table
from operational.kit.db import service_base

Base = service_base("admin")

# The service keeps no rows of its own yet: its events (page views) go through this outbox like every other's.
outbox = Outbox(make_outbox_table(Base.metadata))
