"""Care coordinators' accounts for the dashboard, and how they like to be nudged.

The coordinator is a Person (role coordinator) so caseloads and consents can point at them;
this table adds what only staff have: a sign-in, a password hash, lockout state and where a
content-free notification goes (an SMS number or an email address, encrypted).
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String

from bot.store.encrypted import EncryptedText
from bot.store.models import Base, utc_now


class StaffAccount(Base):
    __tablename__ = "staff_accounts"

    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    username = Column(String(80), nullable=False, unique=True)
    display_name = Column(String(80), nullable=False)  # the name service users see, e.g. "Sam"
    password_hash = Column(String(255), nullable=True)
    notify_channel = Column(String(10), nullable=False, default="email")  # "sms" or "email"
    notify_address = Column(EncryptedText, nullable=True)
    failed_sign_ins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime(timezone=True), nullable=True)
    last_visit_at = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
