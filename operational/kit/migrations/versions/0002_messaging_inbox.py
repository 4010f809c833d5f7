"""the inbox every consumer shares (hub_messaging.inbox); the services' own processed-events tables move into it

Revision ID: 0002_messaging_inbox
Revises: 0001_idempotency_keys
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_messaging_inbox"
down_revision = "0001_idempotency_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS hub_messaging")
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.Text(), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name="pk_inbox"),
        schema="hub_messaging",
    )


def downgrade() -> None:
    op.drop_table("inbox", schema="hub_messaging")
