from operational.comms.models import Base
from operational.kit.migrations import run_migrations_online

run_migrations_online(Base.metadata)
