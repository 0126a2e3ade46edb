"""Requests to erase a person's data: their rows go at once, their conversation history a little later.

The person's rows are deleted in the turn they ask, before the confirmation is sent. Only Rasa's
history of the conversation waits a short time (ERASURE_DELAY), because the turn in which the
person asked is still being saved when the reply goes out; clearing it after that turn means
nothing of it is left behind. Until then the request keeps the conversation ids (encrypted);
after, it is the only trace kept: a random id and times, nothing about the person.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String

from bot.common.clock import utc_now
from bot.store.encrypted import EncryptedText
from bot.store.models import Base, new_id


class ErasureRequest(Base):
    __tablename__ = "erasure_requests"

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), nullable=False, index=True)  # no foreign key: it outlives the person
    requested_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    carry_out_after = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    done_at = Column(DateTime(timezone=True), nullable=True)
    events_erased = Column(Integer, nullable=True)
    # The conversation ids whose history is still to clear, one a line, encrypted; emptied when done.
    history_senders = Column(EncryptedText, nullable=True)
