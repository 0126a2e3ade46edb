"""erasure at once: the request keeps the conversation ids (encrypted) whose history the worker clears

Erasure now deletes the person's rows in the turn they ask; only Rasa's history of that
conversation waits for the worker, so the request keeps which conversation ids to clear.
A carer's message about an erased person stays for the team under the caseload name
(carer_messages.about_label, encrypted).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 13:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("history_senders", sa.Text(), nullable=True))
    with op.batch_alter_table("carer_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("about_label", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("carer_messages", schema=None) as batch_op:
        batch_op.drop_column("about_label")
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.drop_column("history_senders")
