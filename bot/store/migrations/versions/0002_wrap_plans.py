"""wrap plans, items and skips

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 03:24:58.826217
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wrap_plans",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("position_question_id", sa.String(length=64), nullable=True),
        sa.Column("last_item_number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", name="uq_wrap_plan_person"),
    )
    op.create_table(
        "wrap_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("answer_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("item_kind", sa.String(length=40), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replaces_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["wrap_plans.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["replaces_id"], ["wrap_items.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("wrap_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wrap_items_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "wrap_skips",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["wrap_plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "question_id", name="uq_wrap_skip_question"),
    )


def downgrade() -> None:
    op.drop_table("wrap_skips")
    with op.batch_alter_table("wrap_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wrap_items_plan_id"))

    op.drop_table("wrap_items")
    op.drop_table("wrap_plans")
