"""instalment payment method: each instalment is paid by bank transfer or by a saved card, changeable for the parts
still to come

Revision ID: 0006_instalment_method
Revises: 0005_transfers
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_instalment_method"
down_revision = "0005_transfers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "instalments",
        sa.Column("payment_method", sa.Text(), server_default="bank_transfer", nullable=False),
        schema="payments",
    )
    op.add_column("instalments", sa.Column("card", sa.Text(), nullable=True), schema="payments")
    op.create_check_constraint(
        op.f("ck_instalments_card_for_card"),
        "instalments",
        "(payment_method = 'card') = (card IS NOT NULL)",
        schema="payments",
    )


def downgrade() -> None:
    op.drop_constraint("ck_instalments_card_for_card", "instalments", schema="payments", type_="check")
    op.drop_column("instalments", "card", schema="payments")
    op.drop_column("instalments", "payment_method", schema="payments")
