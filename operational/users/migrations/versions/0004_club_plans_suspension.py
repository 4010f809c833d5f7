"""clubs: plan, suspension

Revision ID: 0004_club_plans_suspension
Revises: 0003_club_emails_invitations
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_club_plans_suspension"
down_revision = "0003_club_emails_invitations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "organizations", sa.Column("plan", sa.Text(), nullable=False, server_default="standard"), schema="users"
    )
    op.add_column("organizations", sa.Column("suspended_at", sa.DateTime(timezone=True)), schema="users")
    op.add_column("organizations", sa.Column("suspension_reason", sa.Text()), schema="users")


def downgrade() -> None:
    op.drop_column("organizations", "suspension_reason", schema="users")
    op.drop_column("organizations", "suspended_at", schema="users")
    op.drop_column("organizations", "plan", schema="users")
