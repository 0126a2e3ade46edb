"""Tables for the coordinators' dashboard: enrolment, sign-in sessions, what a coordinator has
seen, and messages waiting for a person's next conversation.

Nothing here holds plan content. The label a coordinator gives a person at enrolment may be a
name, so it is encrypted; enrolment codes and session tokens are kept only as hashes.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, String, UniqueConstraint

from bot.common.clock import utc_now
from bot.store.encrypted import EncryptedText
from bot.store.models import Base, new_id


class Enrolment(Base):
    """Putting a person on a coordinator's caseload: by a one-time code, or by phone number.

    A code enrolment waits (code_hash set, used_at empty) until the person sends the code; a
    phone enrolment is used at once. Either way, once used it points at the caseload entry, and
    its label is how the coordinator sees that person on the dashboard.
    """

    __tablename__ = "enrolments"

    id = Column(String(36), primary_key=True, default=new_id)
    coordinator_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    method = Column(String(10), nullable=False)  # "code" or "phone"
    code_hash = Column(String(64), nullable=True, unique=True)
    label = Column(EncryptedText, nullable=True)  # what the coordinator calls the person
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    expires_at = Column(DateTime(timezone=True), nullable=True)
    used_at = Column(DateTime(timezone=True), nullable=True)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=True, index=True)
    caseload_entry_id = Column(
        String(36), ForeignKey("caseload_entries.id", ondelete="CASCADE"), nullable=True, index=True
    )


class StaffSession(Base):
    """A signed-in dashboard session. The browser holds a random token; we keep its hash."""

    __tablename__ = "staff_sessions"

    token_hash = Column(String(64), primary_key=True)
    staff_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    last_seen_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    # The coordinator's visit before this one, shown on the caseload ("Your last visit was...").
    # "New" does not count from it: it is per person (CoordinatorView).
    previous_visit_at = Column(DateTime(timezone=True), nullable=True)


class CoordinatorView(Base):
    """How far a coordinator has seen a person: when they last opened that person's page.

    This is the "seen up to" record behind "new": the caseload counts, and the person's page
    marks, what was saved or shared after it. Only opening the person's page moves it on;
    signing in or looking at the caseload does not, so new stays new until it is seen."""

    __tablename__ = "coordinator_views"
    __table_args__ = (UniqueConstraint("coordinator_id", "person_id", name="uq_coordinator_view"),)

    id = Column(String(36), primary_key=True, default=new_id)
    coordinator_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    last_viewed_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)


class PersonNotice(Base):
    """A message for a person we could not text, shown at their next conversation."""

    __tablename__ = "person_notices"

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(40), nullable=False)  # e.g. "acknowledgement"
    body = Column(EncryptedText, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    shown_at = Column(DateTime(timezone=True), nullable=True)
