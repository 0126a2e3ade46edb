"""Care coordinators' accounts for the dashboard, and how they like to be nudged.

The coordinator is a Person (role coordinator) so caseloads and consents can point at them;
this table adds what only staff have: a sign-in, a password hash, whether an administrator has
disabled the account, and where a content-free notification goes (an SMS number or an email
address, encrypted). Failed sign-ins are counted per client address in SignInFailure, not on
the account, so guessing from one place cannot lock the owner out everywhere.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, String

from bot.common.clock import utc_now
from bot.store.encrypted import EncryptedText
from bot.store.models import Base, new_id


class StaffAccount(Base):
    __tablename__ = "staff_accounts"

    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    username = Column(String(80), nullable=False, unique=True)
    display_name = Column(String(80), nullable=False)  # the name service users see, e.g. "Sam"
    password_hash = Column(String(255), nullable=True)
    notify_channel = Column(String(10), nullable=False, default="email")  # "sms" or "email"
    notify_address = Column(EncryptedText, nullable=True)
    # Set by `python -m bot admin disable-user`: no sign-in, no session, until enable-user.
    disabled_at = Column(DateTime(timezone=True), nullable=True)
    last_visit_at = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)


class SignInFailure(Base):
    """One failed sign-in, kept at most a day (bot/services/staff/sign_in_attempts.py).

    Only keyed hashes: of the client address (never the address itself) and of the username
    typed (known or not, so unknown usernames are counted exactly like real ones).
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_address_at", "address_hash", "failed_at"),
        Index("ix_sign_in_failures_username_address", "username_hash", "address_hash"),
        Index("ix_sign_in_failures_failed_at", "failed_at"),
    )

    id = Column(String(36), primary_key=True, default=new_id)
    address_hash = Column(String(64), nullable=False)
    username_hash = Column(String(64), nullable=False)
    failed_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
