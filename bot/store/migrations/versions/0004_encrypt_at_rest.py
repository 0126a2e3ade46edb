"""encrypt the text of existing wrap items; keep each identity's (encrypted) conversation id;
erasure requests

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from bot.security.encryption import decrypt_text, encrypt_text

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FERNET_PREFIX = "gAAAAA"


def upgrade() -> None:
    op.create_table(
        "erasure_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("carry_out_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("events_erased", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasure_requests_person_id"), ["person_id"], unique=False)
    with op.batch_alter_table("channel_identities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sender_id", sa.Text(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, text FROM wrap_items")).all()
    for row in rows:
        if not row.text.startswith(FERNET_PREFIX):
            connection.execute(
                sa.text("UPDATE wrap_items SET text = :text WHERE id = :id"),
                {"text": encrypt_text(row.text), "id": row.id},
            )


def downgrade() -> None:
    with op.batch_alter_table("channel_identities", schema=None) as batch_op:
        batch_op.drop_column("sender_id")
    op.drop_table("erasure_requests")
    connection = op.get_bind()
    for row in connection.execute(sa.text("SELECT id, text FROM wrap_items")).all():
        connection.execute(
            sa.text("UPDATE wrap_items SET text = :text WHERE id = :id"), {"text": decrypt_text(row.text), "id": row.id}
        )
