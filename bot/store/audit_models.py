"""The audit log: who did what with whose data, and when. Append-only, hash-chained.

Each entry stores the hash of the entry before it, and its own hash over its fields and that
link (HMAC-SHA256 keyed with SECRET_KEY), so changing, removing or reordering an entry breaks
the chain from that point (`python -m bot audit verify`). The one row of `audit_chain_head`
holds the newest sequence number and hash: every append updates it first, which serialises
writers (a row lock on PostgreSQL, the single writer on SQLite), so the chain never forks.
Database triggers (migration 0006) refuse UPDATE and DELETE on entries.

Entries are content-free: ids, an action name and a short detail, never plan text, names or
numbers. `subject_person_id` has no foreign key on purpose: an erased person's entries stay.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String

from bot.common.clock import utc_now
from bot.store.models import Base

GENESIS_HASH = "0" * 64


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    seq = Column(Integer, primary_key=True, autoincrement=False)
    recorded_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    actor_kind = Column(String(20), nullable=False)  # staff, person, admin, system
    actor_id = Column(String(36), nullable=True)
    action = Column(String(40), nullable=False)
    subject_person_id = Column(String(36), nullable=True, index=True)
    detail = Column(String(200), nullable=False, default="")
    prev_hash = Column(String(64), nullable=False)
    entry_hash = Column(String(64), nullable=False)


class AuditChainHead(Base):
    """One row (id 1): the newest entry's sequence number and hash."""

    __tablename__ = "audit_chain_head"

    id = Column(Integer, primary_key=True, autoincrement=False)
    last_seq = Column(Integer, nullable=False, default=0)
    last_hash = Column(String(64), nullable=False, default=GENESIS_HASH)
