"""sms: texts kept to answer later, when a turn could not be run

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sms_inbound_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("waiting_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("waiting_number", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("retry_after", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_sms_inbound_messages_retry_after", ["retry_after"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sms_inbound_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_sms_inbound_messages_retry_after")
        batch_op.drop_column("retry_after")
        batch_op.drop_column("attempts")
        batch_op.drop_column("waiting_number")
        batch_op.drop_column("waiting_text")
