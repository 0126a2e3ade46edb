"""Linking one person's channels (SMS and web chat) with a short one-time code.

A code is never stored: only its keyed hash. Each wrong try is recorded against the identity
that made it, so tries can be limited per identity and in all. When linking joins two people
into one, a PersonMerge row says so: the person left behind (and anything a later feature keeps
for them) is never deleted, so nothing is silently lost.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, String

from bot.common.clock import utc_now
from bot.store.models import Base, new_id


class LinkCode(Base):
    __tablename__ = "link_codes"

    id = Column(String(36), primary_key=True, default=new_id)
    code_hash = Column(String(64), nullable=False, unique=True)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    # The identity (channel address) the code was asked for on: it cannot be entered there.
    made_by_identity_id = Column(String(36), ForeignKey("channel_identities.id", ondelete="CASCADE"), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    expires_at = Column(DateTime(timezone=True), nullable=False)
    used_at = Column(DateTime(timezone=True), nullable=True)
    used_by_identity_id = Column(String(36), ForeignKey("channel_identities.id", ondelete="SET NULL"), nullable=True)


class PersonMerge(Base):
    """One person joined into another by a link code (their channels and plan moved across)."""

    __tablename__ = "person_merges"

    id = Column(String(36), primary_key=True, default=new_id)
    from_person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    into_person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    plan_outcome = Column(String(20), nullable=False)  # none, moved or combined
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
