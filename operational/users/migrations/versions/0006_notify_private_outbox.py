"""the private outbox: one-time links and account addresses for comms, relayed to the private stream and deleted once
sent (contracts/private.py)

Revision ID: 0006_notify_private_outbox
Revises: 0005_club_setting_changes
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006_notify_private_outbox"
down_revision = "0005_club_setting_changes"
branch_labels = None
depends_on = None

SCHEMA = "users"


def upgrade() -> None:
    op.create_table(
        "private_outbox",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("envelope", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_private_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_private_outbox_event_id")),
        schema=SCHEMA,
    )
    op.create_index("ix_private_outbox_sent_at", "private_outbox", ["sent_at"], unique=False, schema=SCHEMA)
    op.create_index(
        "ix_private_outbox_unsent",
        "private_outbox",
        ["id"],
        unique=False,
        schema=SCHEMA,
        postgresql_where=sa.text("sent_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("private_outbox", schema=SCHEMA)
