"""SQLAlchemy models: the people Alongside knows and how they reach it.

Phone numbers and web session ids are never stored or used as keys: a channel identity holds
only a keyed hash of the address (see bot.services.pseudonyms), so a copy of the database does
not reveal who uses the service.
"""
from __future__ import annotations

import enum
import uuid
from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


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
