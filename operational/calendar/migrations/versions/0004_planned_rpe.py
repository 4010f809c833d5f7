"""events carry the coach's intended RPE, so a practice has a planned load

Revision ID: 0004_planned_rpe
Revises: 0003_shared_inbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_planned_rpe"
down_revision = "0003_shared_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("event_series", sa.Column("planned_rpe", sa.SmallInteger(), nullable=True), schema="calendar")
    op.create_check_constraint(
        op.f("ck_event_series_planned_rpe_range"), "event_series", "planned_rpe BETWEEN 0 AND 10", schema="calendar"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_event_series_planned_rpe_range"), "event_series", schema="calendar", type_="check")
    op.drop_column("event_series", "planned_rpe", schema="calendar")
