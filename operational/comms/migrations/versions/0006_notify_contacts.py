"""contacts: each account's address and language, from users' private messages, so e-mail reaches everyone with one

Revision ID: 0006_notify_contacts
Revises: 0005_outbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_notify_contacts"
down_revision = "0005_outbox"
branch_labels = None
depends_on = None

SCHEMA = "comms"


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("language", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_contacts")),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("contacts", schema=SCHEMA)
