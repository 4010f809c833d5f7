"""contacts: each account's address and language, from users' private messages, so e-mail reaches everyone with one

Revision ID: 0007_notify_contacts
Revises: 0006_conversations_attachments
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_notify_contacts"
down_revision = "0006_conversations_attachments"
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
