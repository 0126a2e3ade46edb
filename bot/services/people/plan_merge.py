"""Joining two people's plans when linking makes them one person. Nothing is ever dropped.

- Only one of them has a plan with anything in it: that plan becomes the person's plan, as it
  is (items, history, skips and where they stopped). An empty plan on the other side is removed.
- Both have one: every item of the second plan (and its history) moves into the first, numbered
  after the first plan's own items. An item the first plan already has (same question, same
  words) is moved as removed, so it is in the history but not shown twice. The first plan keeps
  its place; skips move unless they clash.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.models import WrapItem, WrapPlan, WrapSkip


class PlanOutcome(str, Enum):
    none = "none"  # the person joining had no plan items: nothing to move
    moved = "moved"  # their plan became the plan (the other side had none)
    combined = "combined"  # both had plans: put together into one


def _plan(session: Session, person_id: str) -> WrapPlan | None:
    return session.execute(select(WrapPlan).where(WrapPlan.person_id == person_id)).scalar_one_or_none()


def _item_count(session: Session, plan: WrapPlan | None) -> int:
    if plan is None:
        return 0
    return session.execute(select(func.count()).select_from(WrapItem).where(WrapItem.plan_id == plan.id)).scalar_one()


def _same_words(text: str) -> str:
    return " ".join(text.casefold().split())


def merge_plans(session: Session, from_person_id: str, into_person_id: str, now: datetime) -> PlanOutcome:
    """Bring the plan of `from_person_id` to `into_person_id` (see the module's rules)."""
    source, target = _plan(session, from_person_id), _plan(session, into_person_id)
    if source is None or not _item_count(session, source):
        return PlanOutcome.none
    if target is None or not _item_count(session, target):
        if target is not None:
            session.delete(target)  # no items, so none of the person's words
            session.flush()
        source.person_id = into_person_id
        session.flush()
        return PlanOutcome.moved
    _combine(session, source, target, now)
    return PlanOutcome.combined


def _combine(session: Session, source: WrapPlan, target: WrapPlan, now: datetime) -> None:
    items = list(
        session.execute(select(WrapItem).where(WrapItem.plan_id == source.id).order_by(WrapItem.number)).scalars()
    )
    already = {
        (item.question_id, _same_words(item.text))
        for item in session.execute(
            select(WrapItem).where(WrapItem.plan_id == target.id, WrapItem.removed_at.is_(None))
        ).scalars()
    }
    # Number in the database (an UPDATE that adds), as saving does, so no number is handed out twice.
    target.last_item_number = WrapPlan.last_item_number + len(items)
    session.flush()
    first = target.last_item_number - len(items) + 1
    for number, item in enumerate(items, start=first):
        item.plan_id = target.id
        item.number = number
        if item.removed_at is None and (item.question_id, _same_words(item.text)) in already:
            item.removed_at = now
    skipped = set(session.execute(select(WrapSkip.question_id).where(WrapSkip.plan_id == target.id)).scalars())
    for skip in session.execute(select(WrapSkip).where(WrapSkip.plan_id == source.id)).scalars():
        if skip.question_id in skipped:
            session.delete(skip)
        else:
            skip.plan_id = target.id
    if target.position_question_id is None:
        target.position_question_id = source.position_question_id
    target.updated_at = now
    session.flush()
    session.delete(source)  # empty now: everything in it has moved
    session.flush()
