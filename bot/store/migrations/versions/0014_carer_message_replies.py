"""a coordinator's reply to a carer's message, kept on the message (encrypted)

The dashboard lets the person's coordinator answer a carer's message; Alongside sends the reply
to the carer (by text, or at their next web chat). One reply per message: its words (encrypted,
like the message), who sent it, when, and how it went.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("carer_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("replied_by", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reply_channel", sa.String(length=20), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_carer_messages_replied_by_people"), "people", ["replied_by"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("carer_messages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_carer_messages_replied_by_people"), type_="foreignkey")
        batch_op.drop_column("reply_channel")
        batch_op.drop_column("replied_at")
        batch_op.drop_column("replied_by")
        batch_op.drop_column("reply_text")
