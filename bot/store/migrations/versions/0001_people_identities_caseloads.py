"""people, channel identities and caseloads

Revision ID: 0001
Revises:
Create Date: 2026-11-26 03:13:45.879989
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "unknown", "service_user", "carer", "coordinator", name="person_role", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "caseload_entries",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("coordinator_id", sa.String(length=36), nullable=False),
        sa.Column("service_user_id", sa.String(length=36), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["coordinator_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["service_user_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("caseload_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_caseload_entries_coordinator_id"), ["coordinator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_caseload_entries_service_user_id"), ["service_user_id"], unique=False)

    op.create_table(
        "channel_identities",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "address_hash", name="uq_channel_address"),
    )
    with op.batch_alter_table("channel_identities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_identities_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("channel_identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_identities_person_id"))

    op.drop_table("channel_identities")
    with op.batch_alter_table("caseload_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_caseload_entries_service_user_id"))
        batch_op.drop_index(batch_op.f("ix_caseload_entries_coordinator_id"))

    op.drop_table("caseload_entries")
    op.drop_table("people")
