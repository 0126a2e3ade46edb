"""The outbox: every text or email Alongside sends, queued in the same transaction as the
change that caused it, then delivered by the worker (bot/worker.py).

Queuing in the same transaction means a notification is never lost (if the change is saved,
so is the message) and never invented (if the change rolls back, so does the message). The
idempotency key makes queuing the same message twice a no-op. Recipient and body are encrypted.
"""

from __future__ import annotations

import enum

from sqlalchemy import Column, DateTime, Enum, ForeignKey, Index, Integer, String

from bot.common.clock import utc_now
from bot.store.encrypted import EncryptedText
from bot.store.models import Base, new_id


class OutboxStatus(str, enum.Enum):
    pending = "pending"  # waiting for its first or next attempt (see next_attempt_at)
    sending = "sending"  # claimed by a worker; if it stays here the worker stopped mid-send
    sent = "sent"  # the provider accepted it (provider_id says which message)
    failed = "failed"  # gave up: permanent error or too many attempts (last_error says why)
    unknown = "unknown"  # a worker stopped mid-send and the provider could not confirm it;
    # not resent automatically, so nobody is texted twice
    cancelled = "cancelled"  # no longer wanted (for example the person opted out of texts)


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id = Column(String(36), primary_key=True, default=new_id)
    idempotency_key = Column(String(160), nullable=False, unique=True)
    channel = Column(String(10), nullable=False)  # "sms" or "email"
    purpose = Column(String(40), nullable=False)  # e.g. "reply", "coordinator_notification"
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=True, index=True)
    recipient = Column(EncryptedText, nullable=False)
    subject = Column(EncryptedText, nullable=True)
    body = Column(EncryptedText, nullable=False)
    status = Column(
        Enum(OutboxStatus, name="outbox_status", native_enum=False, length=12),
        nullable=False,
        default=OutboxStatus.pending,
    )
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    claimed_at = Column(DateTime(timezone=True), nullable=True)
    sent_at = Column(DateTime(timezone=True), nullable=True)
    provider_id = Column(String(64), nullable=True, index=True)
    delivery_status = Column(String(20), nullable=True)
    delivery_status_at = Column(DateTime(timezone=True), nullable=True)
    last_error = Column(String(200), nullable=True)  # content-free: an error code or class name
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
