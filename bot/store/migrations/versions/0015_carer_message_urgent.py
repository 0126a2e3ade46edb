"""a carer can mark their message to the team urgent

A carer who leaves a message can say it cannot wait: the dashboard shows it first with an
"Urgent" tag and the coordinator gets a second, content-free notification. Only when it was
marked is kept; it says nothing about health.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 06:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("carer_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urgent_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("carer_messages", schema=None) as batch_op:
        batch_op.drop_column("urgent_at")
