"""conversations (team channels, groups, private), their members and messages, the safeguarding audit, and people's
club-wide roles (who is staff)

Revision ID: 0003_conversations
Revises: 0002_email_and_preferences
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_conversations"
down_revision = "0002_email_and_preferences"
branch_labels = None
depends_on = None

SCHEMA = "comms"


def upgrade() -> None:
    op.add_column(
        "people",
        sa.Column("org_roles", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "conversations",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("team_id", sa.UUID(), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("on_hold", sa.Boolean(), server_default="false", nullable=False),
        sa.CheckConstraint("kind IN ('team', 'group', 'private')", name=op.f("ck_conversations_kind_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_conversations_org_id"), "conversations", ["org_id"], schema=SCHEMA)
    op.create_index(
        "uq_conversations_team_channel",
        "conversations",
        ["team_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("kind = 'team'"),
    )
    op.create_table(
        "conversation_members",
        sa.Column("conversation_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_read_message_id", sa.UUID(), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            [f"{SCHEMA}.conversations.id"],
            name=op.f("fk_conversation_members_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conversation_id", "user_id", name=op.f("pk_conversation_members")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_conversation_members_user_id"), "conversation_members", ["user_id"], schema=SCHEMA)
    op.create_table(
        "messages",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("conversation_id", sa.UUID(), nullable=False),
        sa.Column("author_id", sa.UUID(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("reply_to_id", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            [f"{SCHEMA}.conversations.id"],
            name=op.f("fk_messages_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        schema=SCHEMA,
    )
    op.create_index("ix_messages_conversation", "messages", ["conversation_id", "id"], schema=SCHEMA)
    op.create_table(
        "safeguarding_audit",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("conversation_id", sa.UUID(), nullable=True),
        sa.Column("actor_id", sa.UUID(), nullable=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("member_ids", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_audit")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_safeguarding_audit_org_id"), "safeguarding_audit", ["org_id"], schema=SCHEMA)
    # the audit is evidence: rows are added, never changed or removed (erasure of a person empties no audit)
    op.execute(
        """
        CREATE FUNCTION comms.refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'comms.safeguarding_audit is append-only: % is refused', TG_OP;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER safeguarding_audit_append_only BEFORE UPDATE OR DELETE ON comms.safeguarding_audit "
        "FOR EACH ROW EXECUTE FUNCTION comms.refuse_audit_change()"
    )


def downgrade() -> None:
    op.drop_table("safeguarding_audit", schema=SCHEMA)
    op.execute("DROP FUNCTION comms.refuse_audit_change()")
    for table in ("messages", "conversation_members", "conversations"):
        op.drop_table(table, schema=SCHEMA)
    op.drop_column("people", "org_roles", schema=SCHEMA)
