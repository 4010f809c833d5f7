"""the consumers' processed events move to the shared inbox (hub_messaging.inbox, kit migration 0002)

Revision ID: 0006_shared_inbox
Revises: 0005_calendar_events
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_shared_inbox"
down_revision = "0005_calendar_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the kit migrates first; a database migrated before the inbox existed still has rows to carry over
    op.execute(
        "INSERT INTO hub_messaging.inbox (consumer, event_id, processed_at) "
        "SELECT consumer, event_id, processed_at FROM training.processed_events ON CONFLICT DO NOTHING"
    )
    op.drop_table("processed_events", schema="training")


def downgrade() -> None:
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.Text(), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name=op.f("pk_processed_events")),
        schema="training",
    )
