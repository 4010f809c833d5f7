"""calendar events read model

Revision ID: 0005_calendar_events
Revises: 0004_corrections
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_calendar_events"
down_revision = "0004_corrections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_events",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("team_id", sa.UUID(), nullable=True),
        sa.Column("cancelled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_events")),
        schema="training",
    )


def downgrade() -> None:
    op.drop_table("calendar_events", schema="training")
