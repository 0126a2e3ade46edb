"""Consent to share, and what was shared.

A consent record is shaped like FHIR's Consent: who grants it (the person), who receives
(their coordinator, or a named carer), which category of information, for what purpose, the
decision, when, the exact wording the person was shown, the channel, and when to ask again.
Records are append-only: a change of mind is a new record, and "what is active now" is the
latest record for each (person, recipient, category). See bot/services/consent/ledger.py.

A share event says "this person shared these categories with this coordinator at this time";
the coordinator's dashboard shows the live plan items its active consents cover, and the person
is told when the coordinator has read it.
"""

from __future__ import annotations

import enum

from sqlalchemy import Column, DateTime, Enum, ForeignKey, Index, String, Text

from bot.common.clock import utc_now
from bot.store.models import Base, new_id


class RecipientKind(str, enum.Enum):
    coordinator = "coordinator"
    carer = "carer"


class ConsentDecision(str, enum.Enum):
    granted = "granted"
    withdrawn = "withdrawn"
    declined = "declined"  # asked, and said no (or "not now")


class ConsentRecord(Base):
    __tablename__ = "consent_records"
    __table_args__ = (Index("ix_consent_latest", "person_id", "recipient_id", "category", "recorded_at"),)

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False)
    recipient_kind = Column(Enum(RecipientKind, name="recipient_kind", native_enum=False, length=12), nullable=False)
    recipient_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    # A WRAP section id from content/wrap.yml, or goals_checkins, recovery_meaning, crisis_alerts.
    category = Column(String(40), nullable=False)
    decision = Column(Enum(ConsentDecision, name="consent_decision", native_enum=False, length=12), nullable=False)
    purpose = Column(String(80), nullable=False)
    wording = Column(Text, nullable=False)  # our own words, as shown; holds no personal data
    channel = Column(String(20), nullable=False)
    recorded_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    review_due_at = Column(DateTime(timezone=True), nullable=True)


class ShareEvent(Base):
    """Something newly shared with a coordinator, waiting to be read and acknowledged."""

    __tablename__ = "share_events"

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    coordinator_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    categories = Column(Text, nullable=False)  # comma-separated category ids
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    read_at = Column(DateTime(timezone=True), nullable=True)
    acknowledged_at = Column(DateTime(timezone=True), nullable=True)
    reminder_sent_at = Column(DateTime(timezone=True), nullable=True)
