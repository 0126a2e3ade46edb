"""Wrong tries at one-time codes, for every kind of code (bot/services/people/code_tries.py).

One table for link, carer and enrolment codes, so one source guessing at several kinds is
counted once. Only keyed hashes (of the sender's id and of the client address), never the
code typed, and nothing is kept over a day.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, String

from bot.common.clock import utc_now
from bot.store.models import Base, new_id


class WrongCodeTry(Base):
    __tablename__ = "wrong_code_tries"
    __table_args__ = (
        Index("ix_wrong_code_tries_kind_at", "kind", "tried_at"),
        Index("ix_wrong_code_tries_sender_at", "sender_hash", "tried_at"),
        Index("ix_wrong_code_tries_source_at", "source_hash", "tried_at"),
    )

    id = Column(String(36), primary_key=True, default=new_id)
    kind = Column(String(20), nullable=False)  # link, carer or enrolment
    sender_hash = Column(String(64), nullable=False)
    source_hash = Column(String(64), nullable=True)  # the client address's; None on SMS
    tried_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
