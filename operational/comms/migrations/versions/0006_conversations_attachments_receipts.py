"""conversations: attachments, the history of edited and deleted messages, read marks for receipts, and the club's
and each person's conversation settings

Revision ID: 0006_conversations_attachments
Revises: 0005_outbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_conversations_attachments"
down_revision = "0005_outbox"
branch_labels = None
depends_on = None

SCHEMA = "comms"


def _fk(table: str, column: str, target: str):
    return sa.ForeignKeyConstraint(
        [column], [f"{SCHEMA}.{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("conversation_id", sa.UUID(), nullable=False),
        sa.Column("message_id", sa.UUID(), nullable=True),
        sa.Column("uploaded_by", sa.UUID(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.Text(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        _fk("attachments", "conversation_id", "conversations"),
        _fk("attachments", "message_id", "messages"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        schema=SCHEMA,
    )
    op.create_index("ix_attachments_message", "attachments", ["message_id"], schema=SCHEMA)
    op.create_table(
        "message_revisions",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("message_id", sa.UUID(), nullable=False),
        sa.Column("author_id", sa.UUID(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("action IN ('edited', 'deleted')", name=op.f("ck_message_revisions_action_known")),
        _fk("message_revisions", "message_id", "messages"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_revisions")),
        schema=SCHEMA,
    )
    op.create_index("ix_message_revisions_message", "message_revisions", ["message_id", "id"], schema=SCHEMA)
    # what was said is evidence: a revision is never rewritten (it goes only with its author's erasure)
    op.execute(
        """
        CREATE FUNCTION comms.refuse_revision_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'comms.message_revisions is never rewritten: % is refused', TG_OP;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER message_revisions_unchanged BEFORE UPDATE ON comms.message_revisions "
        "FOR EACH ROW EXECUTE FUNCTION comms.refuse_revision_change()"
    )
    op.create_table(
        "read_marks",
        sa.Column("conversation_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("message_id", sa.UUID(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        _fk("read_marks", "conversation_id", "conversations"),
        sa.PrimaryKeyConstraint("conversation_id", "user_id", "message_id", name=op.f("pk_read_marks")),
        schema=SCHEMA,
    )
    op.create_table(
        "conversation_settings",
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("edit_window_minutes", sa.Integer(), nullable=True),
        sa.Column("read_receipts", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("changed_by", sa.UUID(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_conversation_settings")),
        schema=SCHEMA,
    )
    op.create_table(
        "conversation_person_settings",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("read_receipts", sa.Boolean(), server_default="true", nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_conversation_person_settings")),
        schema=SCHEMA,
    )


def downgrade() -> None:
    for table in ("conversation_person_settings", "conversation_settings", "read_marks", "message_revisions"):
        op.drop_table(table, schema=SCHEMA)
    op.execute("DROP FUNCTION comms.refuse_revision_change()")
    op.drop_table("attachments", schema=SCHEMA)
