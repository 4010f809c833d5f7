"""web push and SMS as notification channels: browsers' push subscriptions, the phone SMS goes to

Revision ID: 0011_notify_push_sms
Revises: 0010_notify_digests
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_notify_push_sms"
down_revision = "0010_notify_digests"
branch_labels = None
depends_on = None

SCHEMA = "comms"


def _channels(values: str) -> None:
    op.drop_constraint(op.f("ck_notifications_channel_known"), "notifications", schema=SCHEMA)
    op.create_check_constraint(
        op.f("ck_notifications_channel_known"), "notifications", f"channel IN ({values})", schema=SCHEMA
    )


def upgrade() -> None:
    _channels("'in_app', 'email', 'push', 'sms'")
    op.add_column("preferences", sa.Column("phone", sa.Text(), nullable=True), schema=SCHEMA)
    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("p256dh", sa.Text(), nullable=False),
        sa.Column("auth", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscriptions")),
        sa.UniqueConstraint("user_id", "endpoint", name="uq_push_subscriptions_user_endpoint"),
        schema=SCHEMA,
    )
    op.create_index(
        op.f("ix_push_subscriptions_user_id"), "push_subscriptions", ["user_id"], unique=False, schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_table("push_subscriptions", schema=SCHEMA)
    op.drop_column("preferences", "phone", schema=SCHEMA)
    op.execute(f"DELETE FROM {SCHEMA}.notifications WHERE channel IN ('push', 'sms')")
    _channels("'in_app', 'email'")
