"""notifications of category payment: the payer's reminder of an overdue invoice

Revision ID: 0008_notify_payment_category
Revises: 0007_notify_contacts
"""

from alembic import op

revision = "0008_notify_payment_category"
down_revision = "0007_notify_contacts"
branch_labels = None
depends_on = None

SCHEMA = "comms"


def _categories(values: str) -> None:
    op.drop_constraint(op.f("ck_notifications_category_known"), "notifications", schema=SCHEMA)
    op.create_check_constraint(
        op.f("ck_notifications_category_known"), "notifications", f"category IN ({values})", schema=SCHEMA
    )


def upgrade() -> None:
    _categories("'schedule', 'account', 'availability', 'announcement', 'payment'")


def downgrade() -> None:
    op.execute(f"DELETE FROM {SCHEMA}.notifications WHERE category = 'payment'")
    _categories("'schedule', 'account', 'availability', 'announcement'")
