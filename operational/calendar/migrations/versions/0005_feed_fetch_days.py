"""the days a person's own feed was fetched, so a fetch counts as use once a day

Revision ID: 0005_feed_fetch_days
Revises: 0004_planned_rpe
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_feed_fetch_days"
down_revision = "0004_planned_rpe"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_fetch_days",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_feed_fetch_days")),
        schema="calendar",
    )


def downgrade() -> None:
    op.drop_table("feed_fetch_days", schema="calendar")
