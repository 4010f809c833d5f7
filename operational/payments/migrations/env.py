from operational.kit.migrations import run_migrations_online
from operational.payments.models import Base

run_migrations_online(Base.metadata)
