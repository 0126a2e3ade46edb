"""identity links: one-time link codes, wrong tries, person merges

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 06:27:47.682762
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_merges",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("from_person_id", sa.String(length=36), nullable=False),
        sa.Column("into_person_id", sa.String(length=36), nullable=False),
        sa.Column("plan_outcome", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["from_person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["into_person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person_merges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_merges_from_person_id"), ["from_person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_merges_into_person_id"), ["into_person_id"], unique=False)

    op.create_table(
        "link_attempts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("identity_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["identity_id"], ["channel_identities.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("link_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_attempts_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_link_attempts_identity_id"), ["identity_id"], unique=False)

    op.create_table(
        "link_codes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("made_by_identity_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_identity_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["made_by_identity_id"], ["channel_identities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["used_by_identity_id"], ["channel_identities.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    with op.batch_alter_table("link_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_codes_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("link_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_codes_person_id"))

    op.drop_table("link_codes")
    with op.batch_alter_table("link_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_attempts_identity_id"))
        batch_op.drop_index(batch_op.f("ix_link_attempts_created_at"))

    op.drop_table("link_attempts")
    with op.batch_alter_table("person_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_merges_into_person_id"))
        batch_op.drop_index(batch_op.f("ix_person_merges_from_person_id"))

    op.drop_table("person_merges")
