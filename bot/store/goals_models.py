"""What recovery means to a person, their goals and check-ins, reflections when things feel
stuck, "review suggested" flags, and the stress bucket.

Everything a person writes is in an EncryptedText column. Nothing they say is overwritten:
a new version of what recovery means to them replaces the old one (which is kept, marked
`replaced_at`), and goals, steps and bucket items are marked removed rather than deleted, so
the person can always see their history.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint

from bot.common.clock import utc_now
from bot.store.encrypted import EncryptedText
from bot.store.models import Base, new_id


class RecoveryMeaning(Base):
    """One version of "what recovery means to me", in the person's words."""

    __tablename__ = "recovery_meanings"

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    text = Column(EncryptedText, nullable=False)
    channel = Column(String(20), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    replaced_at = Column(DateTime(timezone=True), nullable=True)  # None: the current version
    replaces_id = Column(String(36), ForeignKey("recovery_meanings.id", ondelete="SET NULL"), nullable=True)


class Goal(Base):
    """A recovery goal in the person's words."""

    __tablename__ = "goals"

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    text = Column(EncryptedText, nullable=False)
    channel = Column(String(20), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    done_at = Column(DateTime(timezone=True), nullable=True)
    removed_at = Column(DateTime(timezone=True), nullable=True)


class GoalStep(Base):
    """A small next step towards a goal."""

    __tablename__ = "goal_steps"

    id = Column(String(36), primary_key=True, default=new_id)
    goal_id = Column(String(36), ForeignKey("goals.id", ondelete="CASCADE"), nullable=False, index=True)
    text = Column(EncryptedText, nullable=False)
    channel = Column(String(20), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    done_at = Column(DateTime(timezone=True), nullable=True)
    removed_at = Column(DateTime(timezone=True), nullable=True)


class FlowPosition(Base):
    """Where a person is in a guided conversation (goal, bucket), so it can be resumed."""

    __tablename__ = "flow_positions"
    __table_args__ = (UniqueConstraint("person_id", "flow", name="uq_flow_position"),)

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False)
    flow = Column(String(20), nullable=False)
    position = Column(String(80), nullable=True)  # None: nothing to resume
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utc_now, onupdate=utc_now)


class CheckinSchedule(Base):
    """How often a person wants to be asked how things are going (one row per person).

    rhythm is "weekly" (on `weekday`, 0 = Monday), "every_days" (every `interval_days` days
    from `anchor_date`) or "none" (no check-ins). Times are local (CHECKIN_TIMEZONE);
    `next_due_at` is the next slot in UTC, never inside quiet hours.
    """

    __tablename__ = "checkin_schedules"

    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    rhythm = Column(String(12), nullable=False, default="none")
    weekday = Column(Integer, nullable=True)
    interval_days = Column(Integer, nullable=True)
    local_time = Column(String(5), nullable=False, default="10:00")  # "HH:MM"
    anchor_date = Column(Date, nullable=True)
    next_due_at = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utc_now, onupdate=utc_now)


class CheckIn(Base):
    """One check-in: asked at a due slot (by SMS, or at the next chat), or offered unprompted.

    status: "pending" (asked, waiting for an answer), "answered", or "missed" (the next one
    came round first). `channel` is how it was asked: "sms", "chat" (waiting to be offered
    when the person next talks to us), or the conversation channel when they checked in
    themselves.
    """

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("person_id", "due_at", name="uq_checkin_slot"),
        Index("ix_checkins_person_status", "person_id", "status"),
    )

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False)
    due_at = Column(DateTime(timezone=True), nullable=True)  # None: not scheduled
    channel = Column(String(20), nullable=False)
    status = Column(String(10), nullable=False, default="pending")
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    sent_at = Column(DateTime(timezone=True), nullable=True)
    offered_at = Column(DateTime(timezone=True), nullable=True)
    answered_at = Column(DateTime(timezone=True), nullable=True)
    rating = Column(String(8), nullable=True)  # better, same, worse
    note = Column(EncryptedText, nullable=True)


class Reflection(Base):
    """A reflective conversation offered when things seem stuck, and the person's answers."""

    __tablename__ = "reflections"

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    reason = Column(String(24), nullable=False)  # checkins_no_progress, no_update, said_stuck
    offered_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    started_at = Column(DateTime(timezone=True), nullable=True)
    declined_at = Column(DateTime(timezone=True), nullable=True)
    finished_at = Column(DateTime(timezone=True), nullable=True)
    position_question_id = Column(String(40), nullable=True)


class ReflectionAnswer(Base):
    __tablename__ = "reflection_answers"

    id = Column(String(36), primary_key=True, default=new_id)
    reflection_id = Column(String(36), ForeignKey("reflections.id", ondelete="CASCADE"), nullable=False, index=True)
    question_id = Column(String(40), nullable=False)
    text = Column(EncryptedText, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)


class ReviewFlag(Base):
    """ "Review suggested": shown on the coordinator's dashboard, only with the person's consent.

    reason is a code (checkins_no_progress, no_update, said_stuck); it holds no health detail.
    """

    __tablename__ = "review_flags"

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    coordinator_id = Column(String(36), ForeignKey("people.id", ondelete="SET NULL"), nullable=True, index=True)
    reason = Column(String(24), nullable=False)
    reflection_id = Column(String(36), ForeignKey("reflections.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    cleared_at = Column(DateTime(timezone=True), nullable=True)
    cleared_by = Column(String(36), ForeignKey("people.id", ondelete="SET NULL"), nullable=True)


class BucketItem(Base):
    """One thing in the stress bucket exercise: what fills it, signs it is overflowing, or
    what lets water out. `wrap_item_id` says where it was copied into the WRAP, if it was."""

    __tablename__ = "bucket_items"

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(12), nullable=False)  # fills, overflow, lets_out
    text = Column(EncryptedText, nullable=False)
    channel = Column(String(20), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    removed_at = Column(DateTime(timezone=True), nullable=True)
    wrap_item_id = Column(String(36), ForeignKey("wrap_items.id", ondelete="SET NULL"), nullable=True)
