"""a person's own message for their care team

The person's words (encrypted), sent only after they said yes with the words in front of them;
the coordinator reads them on the dashboard and the person is told when.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 10:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_messages",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("coordinator_id", sa.String(36), sa.ForeignKey("people.id", ondelete="SET NULL"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_team_messages_person_id", "team_messages", ["person_id"])
    op.create_index("ix_team_messages_coordinator_id", "team_messages", ["coordinator_id"])


def downgrade() -> None:
    op.drop_index("ix_team_messages_coordinator_id", table_name="team_messages")
    op.drop_index("ix_team_messages_person_id", table_name="team_messages")
    op.drop_table("team_messages")
