"""carers: links by one-time code, code attempts, carers' messages

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "carer_links",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("carer_person_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("code_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("code_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pending_categories", sa.Text(), nullable=False),
        sa.Column("pending_wording", sa.Text(), nullable=True),
        sa.Column("pending_channel", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["carer_person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    with op.batch_alter_table("carer_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_carer_links_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_carer_links_carer_person_id"), ["carer_person_id"], unique=False)

    op.create_table(
        "carer_link_attempts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("identity_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["identity_id"], ["channel_identities.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("carer_link_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_carer_link_attempts_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_carer_link_attempts_identity_id"), ["identity_id"], unique=False)

    op.create_table(
        "carer_messages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("carer_person_id", sa.String(length=36), nullable=False),
        sa.Column("about_person_id", sa.String(length=36), nullable=True),
        sa.Column("coordinator_id", sa.String(length=36), nullable=True),
        sa.Column("link_id", sa.String(length=36), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["carer_person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["about_person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coordinator_id"], ["people.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["link_id"], ["carer_links.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("carer_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_carer_messages_carer_person_id"), ["carer_person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_carer_messages_about_person_id"), ["about_person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_carer_messages_coordinator_id"), ["coordinator_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("carer_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carer_messages_coordinator_id"))
        batch_op.drop_index(batch_op.f("ix_carer_messages_about_person_id"))
        batch_op.drop_index(batch_op.f("ix_carer_messages_carer_person_id"))
    op.drop_table("carer_messages")
    with op.batch_alter_table("carer_link_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carer_link_attempts_identity_id"))
        batch_op.drop_index(batch_op.f("ix_carer_link_attempts_created_at"))
    op.drop_table("carer_link_attempts")
    with op.batch_alter_table("carer_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carer_links_carer_person_id"))
        batch_op.drop_index(batch_op.f("ix_carer_links_person_id"))
    op.drop_table("carer_links")
