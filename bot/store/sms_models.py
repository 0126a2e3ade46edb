"""What the SMS channel keeps: which inbound texts it has taken in, and the numbered choices
it last offered each conversation.

`sms_inbound_messages` holds only Twilio's MessageSid and times, never the number or the text:
its job is that a replayed or retried webhook is acknowledged and not processed again, even
after a restart. `sms_choices` maps "1", "2"... to the button payloads of the last reply.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, String

from bot.store.encrypted import EncryptedText
from bot.store.models import Base, utc_now


class SmsInboundMessage(Base):
    __tablename__ = "sms_inbound_messages"

    message_sid = Column(String(64), primary_key=True)
    received_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    # When its replies were queued (or it was settled with nothing to send). Empty after a
    # crash mid-turn: the text was taken in but never answered.
    answered_at = Column(DateTime(timezone=True), nullable=True)


class SmsChoices(Base):
    __tablename__ = "sms_choices"

    sender_id = Column(String(64), primary_key=True)  # the Rasa sender id: a keyed hash of the number
    payloads = Column(EncryptedText, nullable=False)  # JSON list of our own button payloads, in order
    offered_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
