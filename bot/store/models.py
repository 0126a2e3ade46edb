"""SQLAlchemy models: the people Alongside knows and how they reach it.

Phone numbers and web session ids are never stored or used as keys: a channel identity holds
only a keyed hash of the address (see bot.security.pseudonyms), so a copy of the database does
not reveal who uses the service.

A wellness and recovery plan (WRAP) is kept as items, one row per thing the person said, saved
the moment they say it. Items are never deleted while the plan exists: removing or changing one
marks it removed (and a change points back to what it replaced), so the plan's history is kept.
"""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import Column, DateTime, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeMeta, registry, relationship

from bot.common.clock import utc_now
from bot.store.encrypted import EncryptedText

_registry = registry()


class Base(metaclass=DeclarativeMeta):
    """Every Alongside table. Spelt as a class (not declarative_base()) so mypy sees a type."""

    __abstract__ = True
    registry = _registry
    metadata = _registry.metadata
    __init__ = _registry.constructor


def new_id() -> str:
    return str(uuid.uuid4())


class Role(str, enum.Enum):
    """Why a person is here. `unknown` until they tell us (or we infer it and check)."""

    unknown = "unknown"
    service_user = "service_user"
    carer = "carer"
    coordinator = "coordinator"


class Person(Base):
    __tablename__ = "people"

    id = Column(String(36), primary_key=True, default=new_id)
    role = Column(Enum(Role, name="person_role", native_enum=False, length=20), nullable=False, default=Role.unknown)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    last_seen_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)

    identities = relationship("ChannelIdentity", back_populates="person", cascade="all, delete-orphan")


class ChannelIdentity(Base):
    """One way a person reaches us: an SMS number or a web chat session, stored as a keyed hash."""

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "address_hash", name="uq_channel_address"),)

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    channel = Column(String(20), nullable=False)
    address_hash = Column(String(64), nullable=False)
    # The conversation id Rasa keeps this person's history under, encrypted, so their history
    # can be exported or erased with the rest of their data (None for identities made before).
    sender_id = Column(EncryptedText, nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)

    person = relationship("Person", back_populates="identities")


class CaseloadEntry(Base):
    """A service user on a care coordinator's caseload, from `started_at` until `ended_at`."""

    __tablename__ = "caseload_entries"

    id = Column(String(36), primary_key=True, default=new_id)
    coordinator_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    service_user_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    started_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    ended_at = Column(DateTime(timezone=True), nullable=True)


class WrapPlan(Base):
    """A person's wellness and recovery plan: one per person, built up an answer at a time."""

    __tablename__ = "wrap_plans"
    __table_args__ = (UniqueConstraint("person_id", name="uq_wrap_plan_person"),)

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False)
    # Where the person is, or where they stopped: the question to carry on from.
    position_question_id = Column(String(64), nullable=True)
    # The number given to the newest item. Items are numbered from it rather than ordered by
    # time, because two answers can share a timestamp and "undo" must find the newest one.
    last_item_number = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utc_now, onupdate=utc_now)


class WrapItem(Base):
    """One thing in a plan (a trigger, a must-do, a text answer), in the person's own words."""

    __tablename__ = "wrap_items"

    id = Column(String(36), primary_key=True, default=new_id)
    plan_id = Column(String(36), ForeignKey("wrap_plans.id", ondelete="CASCADE"), nullable=False, index=True)
    # The items saved from one message share an answer id, so "undo" takes back the whole answer.
    answer_id = Column(String(36), nullable=False)
    number = Column(Integer, nullable=False)  # 1, 2, 3 ... within the plan, in the order saved
    section_id = Column(String(64), nullable=False)
    question_id = Column(String(64), nullable=False)
    item_kind = Column(String(40), nullable=True)  # None for a text question's answer
    # All free text is in this one column, so it can become an encrypted type in one place.
    text = Column(EncryptedText, nullable=False)  # what the person said, encrypted
    channel = Column(String(20), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    removed_at = Column(DateTime(timezone=True), nullable=True)
    replaces_id = Column(String(36), ForeignKey("wrap_items.id", ondelete="SET NULL"), nullable=True)

    @property
    def is_live(self) -> bool:
        return self.removed_at is None


class WrapSkip(Base):
    """A question the person chose to skip, so resuming does not ask it again."""

    __tablename__ = "wrap_skips"
    __table_args__ = (UniqueConstraint("plan_id", "question_id", name="uq_wrap_skip_question"),)

    id = Column(String(36), primary_key=True, default=new_id)
    # The unique constraint's index (plan_id first) serves look-ups by plan.
    plan_id = Column(String(36), ForeignKey("wrap_plans.id", ondelete="CASCADE"), nullable=False)
    question_id = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
