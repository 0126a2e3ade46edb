"""Recovery goals in the person's words, with small next steps. Saved when given; never
deleted (removing marks them removed), so the person's history is kept.
These functions flush but never commit; the caller's `unit_of_work()` does."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.common.clock import as_utc_or_none, utc_now
from bot.store.goals_models import BucketItem, Goal, GoalStep, RecoveryMeaning
from bot.store.models import Person, WrapItem, WrapPlan

MAX_CHARS = 500


def _words(text: str) -> str:
    words = " ".join((text or "").split())
    if not re.search(r"\w", words):
        raise ValueError("No words to save.")
    return words[:MAX_CHARS]


def add_goal(session: Session, person_id: str, text: str, channel: str, now: datetime | None = None) -> Goal:
    goal = Goal(person_id=person_id, text=_words(text), channel=channel, created_at=now or utc_now())
    session.add(goal)
    session.flush()
    return goal


def add_step(session: Session, goal: Goal, text: str, channel: str, now: datetime | None = None) -> GoalStep:
    step = GoalStep(goal_id=goal.id, text=_words(text), channel=channel, created_at=now or utc_now())
    session.add(step)
    session.flush()
    return step


def goal_by_id(session: Session, person_id: str, goal_id: str) -> Goal | None:
    goal = session.get(Goal, goal_id)
    return goal if goal is not None and goal.person_id == person_id and goal.removed_at is None else None


def active_goals(session: Session, person_id: str) -> list[Goal]:
    """Goals not finished or removed, oldest first."""
    return list(
        session.execute(
            select(Goal)
            .where(Goal.person_id == person_id, Goal.removed_at.is_(None), Goal.done_at.is_(None))
            .order_by(Goal.created_at, Goal.id)
        ).scalars()
    )


def steps_for(session: Session, goal: Goal) -> list[GoalStep]:
    return list(
        session.execute(
            select(GoalStep)
            .where(GoalStep.goal_id == goal.id, GoalStep.removed_at.is_(None))
            .order_by(GoalStep.created_at, GoalStep.id)
        ).scalars()
    )


def latest_goal(session: Session, person_id: str) -> Goal | None:
    goals = active_goals(session, person_id)
    return goals[-1] if goals else None


def last_update_at(session: Session, person_id: str) -> datetime | None:
    """When the person last added to or changed their goals, plan, recovery words or bucket;
    when they first came, if never. None for someone we do not know."""
    candidates = [
        select(func.max(Goal.created_at)).where(Goal.person_id == person_id),
        select(func.max(Goal.done_at)).where(Goal.person_id == person_id),
        select(func.max(GoalStep.created_at))
        .join(Goal, Goal.id == GoalStep.goal_id)
        .where(Goal.person_id == person_id),
        select(func.max(GoalStep.done_at)).join(Goal, Goal.id == GoalStep.goal_id).where(Goal.person_id == person_id),
        select(func.max(WrapItem.created_at))
        .join(WrapPlan, WrapPlan.id == WrapItem.plan_id)
        .where(WrapPlan.person_id == person_id),
        select(func.max(WrapItem.removed_at))
        .join(WrapPlan, WrapPlan.id == WrapItem.plan_id)
        .where(WrapPlan.person_id == person_id),
        select(func.max(RecoveryMeaning.created_at)).where(RecoveryMeaning.person_id == person_id),
        select(func.max(BucketItem.created_at)).where(BucketItem.person_id == person_id),
        select(Person.created_at).where(Person.id == person_id),
    ]
    found = (as_utc_or_none(session.execute(query).scalar()) for query in candidates)
    moments = [moment for moment in found if moment is not None]
    return max(moments) if moments else None
