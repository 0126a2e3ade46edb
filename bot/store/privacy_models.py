"""Requests to erase a person's data, carried out by the worker a little after they are made.

Erasure waits a short time (ERASURE_DELAY) because the turn in which the person asked is still
being saved when the reply goes out; erasing after that turn means nothing of it is left behind.
The request row is the only trace kept: a random id and times, nothing about the person.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String

from bot.common.clock import utc_now
from bot.store.models import Base, new_id


class ErasureRequest(Base):
    __tablename__ = "erasure_requests"

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), nullable=False, index=True)  # no foreign key: it outlives the person
    requested_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    carry_out_after = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    done_at = Column(DateTime(timezone=True), nullable=True)
    events_erased = Column(Integer, nullable=True)
