"""What the SMS channel keeps: which inbound texts it has taken in, and the numbered choices
it last offered each conversation.

`sms_inbound_messages` holds Twilio's MessageSid and times: its job is that a replayed or
retried webhook is acknowledged and not processed again, even after a restart. Only while a
text could not be answered (the action server was down) does it also keep the text and the
number, encrypted, to answer it later; both are cleared once it is answered. `sms_choices` maps "1", "2"... to the button payloads of the last reply.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String

from bot.common.clock import utc_now
from bot.store.encrypted import EncryptedText
from bot.store.models import Base


class SmsInboundMessage(Base):
    __tablename__ = "sms_inbound_messages"

    message_sid = Column(String(64), primary_key=True)
    received_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    # When its replies were queued (or it was settled with nothing to send). Empty after a
    # crash mid-turn: the text was taken in but never answered.
    answered_at = Column(DateTime(timezone=True), nullable=True)
    # Kept only until answered, when a turn could not be run (bot/services/sms/inbound.py).
    waiting_text = Column(EncryptedText, nullable=True)
    waiting_number = Column(EncryptedText, nullable=True)
    attempts = Column(Integer, nullable=False, default=0, server_default="0")
    retry_after = Column(DateTime(timezone=True), nullable=True, index=True)


class SmsChoices(Base):
    __tablename__ = "sms_choices"

    sender_id = Column(String(64), primary_key=True)  # the Rasa sender id: a keyed hash of the number
    payloads = Column(EncryptedText, nullable=False)  # JSON list of our own button payloads, in order
    offered_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
