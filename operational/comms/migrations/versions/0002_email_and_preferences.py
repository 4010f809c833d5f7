"""e-mail delivery state on notifications (wait for the end of quiet hours, when sent, the last error) and each
person's preferences (language, e-mail address, muted category and channel pairs)

Revision ID: 0002_email_and_preferences
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_email_and_preferences"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

SCHEMA = "comms"


def upgrade() -> None:
    op.add_column("notifications", sa.Column("not_before", sa.DateTime(timezone=True)), schema=SCHEMA)
    op.add_column("notifications", sa.Column("sent_at", sa.DateTime(timezone=True)), schema=SCHEMA)
    op.add_column("notifications", sa.Column("last_error", sa.Text()), schema=SCHEMA)
    op.create_index(
        "ix_notifications_pending_email",
        "notifications",
        ["not_before"],
        schema=SCHEMA,
        postgresql_where=sa.text("channel = 'email' AND status = 'pending'"),
    )
    op.create_table(
        "preferences",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("muted", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_preferences")),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("preferences", schema=SCHEMA)
    op.drop_index("ix_notifications_pending_email", table_name="notifications", schema=SCHEMA)
    for column in ("last_error", "sent_at", "not_before"):
        op.drop_column("notifications", column, schema=SCHEMA)
