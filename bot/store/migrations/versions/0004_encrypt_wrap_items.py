"""encrypt the text of existing wrap items

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

from bot.services.encryption import decrypt_text, encrypt_text

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

FERNET_PREFIX = "gAAAAA"


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, text FROM wrap_items")).all()
    for row in rows:
        if not row.text.startswith(FERNET_PREFIX):
            connection.execute(
                sa.text("UPDATE wrap_items SET text = :text WHERE id = :id"),
                {"text": encrypt_text(row.text), "id": row.id},
            )


def downgrade() -> None:
    connection = op.get_bind()
    for row in connection.execute(sa.text("SELECT id, text FROM wrap_items")).all():
        connection.execute(
            sa.text("UPDATE wrap_items SET text = :text WHERE id = :id"), {"text": decrypt_text(row.text), "id": row.id}
        )
