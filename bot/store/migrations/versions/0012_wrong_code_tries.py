"""wrong code tries: one table for link, carer and enrolment codes, per sender and per source

The three tables of tries (link_attempts, carer_link_attempts, enrolment_attempts) become one,
holding only wrong tries, by keyed hashes of the sender and of the client address. Their rows
are at most a day old and only slow guessing down, so they are not carried across.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 12:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wrong_code_tries",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sender_hash", sa.String(length=64), nullable=False),
        sa.Column("source_hash", sa.String(length=64), nullable=True),
        sa.Column("tried_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_wrong_code_tries_kind_at", "wrong_code_tries", ["kind", "tried_at"], unique=False)
    op.create_index("ix_wrong_code_tries_sender_at", "wrong_code_tries", ["sender_hash", "tried_at"], unique=False)
    op.create_index("ix_wrong_code_tries_source_at", "wrong_code_tries", ["source_hash", "tried_at"], unique=False)
    op.drop_index("ix_enrolment_attempts_person_at", table_name="enrolment_attempts")
    op.drop_table("enrolment_attempts")
    op.drop_index("ix_link_attempts_identity_id", table_name="link_attempts")
    op.drop_index("ix_link_attempts_created_at", table_name="link_attempts")
    op.drop_table("link_attempts")
    op.drop_index("ix_carer_link_attempts_identity_id", table_name="carer_link_attempts")
    op.drop_index("ix_carer_link_attempts_created_at", table_name="carer_link_attempts")
    op.drop_table("carer_link_attempts")


def _identity_tries_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("identity_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["identity_id"], ["channel_identities.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(f"ix_{name}_created_at", name, ["created_at"], unique=False)
    op.create_index(f"ix_{name}_identity_id", name, ["identity_id"], unique=False)


def downgrade() -> None:
    _identity_tries_table("carer_link_attempts")
    _identity_tries_table("link_attempts")
    op.create_table(
        "enrolment_attempts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_enrolment_attempts_person_at", "enrolment_attempts", ["person_id", "attempted_at"], unique=False
    )
    op.drop_index("ix_wrong_code_tries_source_at", table_name="wrong_code_tries")
    op.drop_index("ix_wrong_code_tries_sender_at", table_name="wrong_code_tries")
    op.drop_index("ix_wrong_code_tries_kind_at", table_name="wrong_code_tries")
    op.drop_table("wrong_code_tries")
