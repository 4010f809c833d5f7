"""e-mails unique per club, TOTP replay guard, withdrawn invitations, invited people active

Revision ID: 0003_club_emails_invitations
Revises: 0002_access
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_club_emails_invitations"
down_revision = "0002_access"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An e-mail is unique within a club only, so no club can find out whom another club has registered.
    op.drop_constraint("uq_users_email", "users", schema="users", type_="unique")
    op.create_unique_constraint("uq_users_org_email", "users", ["org_id", "email"], schema="users")
    op.create_index("ix_users_email", "users", ["email"], unique=False, schema="users")
    op.add_column("users", sa.Column("totp_last_step", sa.BigInteger(), nullable=True), schema="users")
    op.add_column("one_time_tokens", sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True), schema="users")
    # Invited people were stored inactive, which hid them from lists and kept guardians from acting for them; now
    # "inactive" means deactivated only, and a missing password is what keeps an invited person from signing in.
    op.execute(
        "UPDATE users.users SET is_active = true "
        "WHERE is_active = false AND deactivated_at IS NULL AND anonymized_at IS NULL AND password_hash IS NULL"
    )


def downgrade() -> None:
    op.drop_column("one_time_tokens", "revoked_at", schema="users")
    op.drop_column("users", "totp_last_step", schema="users")
    op.drop_index("ix_users_email", table_name="users", schema="users")
    op.drop_constraint("uq_users_org_email", "users", schema="users", type_="unique")
    op.create_unique_constraint("uq_users_email", "users", ["email"], schema="users")
