"""The phone numbers we may text, so replies, acknowledgements and check-ins can reach people.

The number is encrypted (we must be able to send to it) and found by a keyed hash beside it
(a blind index). Opting out (STOP) is recorded here and checked before anything is sent.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, String

from bot.common.clock import utc_now
from bot.store.encrypted import EncryptedText
from bot.store.models import Base, new_id


class SmsContact(Base):
    __tablename__ = "sms_contacts"

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    number_hash = Column(String(64), nullable=False, unique=True)
    number = Column(EncryptedText, nullable=False)
    opted_out_at = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    last_inbound_at = Column(DateTime(timezone=True), nullable=True)
