"""daily digests: the categories a person takes once a day, their clock, and the days a digest went out

Revision ID: 0010_notify_digests
Revises: 0009_notify_rsvp_reminders
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010_notify_digests"
down_revision = "0009_notify_rsvp_reminders"
branch_labels = None
depends_on = None

SCHEMA = "comms"


def upgrade() -> None:
    op.add_column(
        "preferences",
        sa.Column("digest", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        schema=SCHEMA,
    )
    op.add_column("preferences", sa.Column("time_zone", sa.Text(), nullable=True), schema=SCHEMA)
    op.create_table(
        "digests",
        sa.Column("recipient_id", sa.UUID(), nullable=False),
        sa.Column("local_day", sa.Date(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("recipient_id", "local_day", name=op.f("pk_digests")),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("digests", schema=SCHEMA)
    op.drop_column("preferences", "time_zone", schema=SCHEMA)
    op.drop_column("preferences", "digest", schema=SCHEMA)
