"""Noticing when things feel stuck, and the reflective conversation offered then.

The rule (thresholds are settings):
- check-ins: STUCK_CHECKINS answered check-ins in a row that say "same" or "worse", counted
  since the last time a reflection was offered (so it fires on the threshold, not before,
  and then not again until another full run);
- no update: nothing added to or changed in the goals, plan, recovery words or bucket for
  STUCK_DAYS days, and no reflection offered in that time;
- the person says so ("I feel stuck"): always offered.
An offer is a Reflection row; its answers are saved one at a time as they are given.
These functions flush but never commit; the caller's `unit_of_work()` does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import as_utc, utc_now
from bot.services.guided import content as guided_content
from bot.services.recovery import checkins
from bot.services.recovery.goals import last_update_at
from bot.settings import get_settings
from bot.store.goals_models import Reflection, ReflectionAnswer

CHECKINS_NO_PROGRESS, NO_UPDATE, SAID_STUCK = "checkins_no_progress", "no_update", "said_stuck"
MAX_ANSWER_CHARS = 1000


def content() -> guided_content.GuidedContent:
    return guided_content.load("stuck.yml")


def latest_offer(session: Session, person_id: str) -> Reflection | None:
    return session.execute(
        select(Reflection)
        .where(Reflection.person_id == person_id)
        .order_by(Reflection.offered_at.desc(), Reflection.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def no_progress_run(session: Session, person_id: str) -> int:
    """How many answered check-ins in a row, newest first, said "same" or "worse", counting
    only those answered since the last reflection was offered."""
    offer = latest_offer(session, person_id)
    since = as_utc(offer.offered_at) if offer else None
    run = 0
    for checkin in checkins.history(session, person_id):
        if since is not None and as_utc(checkin.answered_at) <= since:
            break
        if checkin.rating == "better":
            break
        run += 1
    return run


def reason_to_offer(session: Session, person_id: str, now: datetime | None = None) -> str | None:
    """Why a reflective conversation should be offered now, or None."""
    now = as_utc(now or utc_now())
    settings = get_settings()
    if no_progress_run(session, person_id) >= settings.stuck_checkins:
        return CHECKINS_NO_PROGRESS
    last_update = last_update_at(session, person_id)
    offer = latest_offer(session, person_id)
    quiet_since = max(filter(None, [last_update, as_utc(offer.offered_at) if offer else None]), default=None)
    if quiet_since is not None and now - quiet_since >= timedelta(days=settings.stuck_days):
        return NO_UPDATE
    return None


def offer(session: Session, person_id: str, reason: str, now: datetime | None = None) -> Reflection:
    reflection = Reflection(person_id=person_id, reason=reason, offered_at=as_utc(now or utc_now()))
    session.add(reflection)
    session.flush()
    return reflection


def open_reflection(session: Session, person_id: str) -> Reflection | None:
    """The newest reflection that is offered or under way, not declined or finished."""
    reflection = latest_offer(session, person_id)
    if reflection is None or reflection.declined_at or reflection.finished_at:
        return None
    return reflection


def start(session: Session, person_id: str, now: datetime | None = None) -> Reflection:
    """Begin (or carry on) a reflection: the open one, or a new one when the person asks."""
    reflection = open_reflection(session, person_id) or offer(session, person_id, SAID_STUCK, now)
    if reflection.started_at is None:
        reflection.started_at = as_utc(now or utc_now())
        reflection.position_question_id = content().steps[0].id
    session.flush()
    return reflection


def decline(session: Session, person_id: str, now: datetime | None = None) -> None:
    reflection = open_reflection(session, person_id)
    if reflection is not None and reflection.started_at is None:
        reflection.declined_at = as_utc(now or utc_now())
        session.flush()


def save_answer(
    session: Session, reflection: Reflection, text: str, now: datetime | None = None
) -> ReflectionAnswer | None:
    """Save the answer to the question the reflection is at; None if there are no words."""
    words = " ".join((text or "").split())
    if not any(char.isalnum() for char in words) or reflection.position_question_id is None:
        return None
    answer = ReflectionAnswer(
        reflection_id=reflection.id,
        question_id=reflection.position_question_id,
        text=words[:MAX_ANSWER_CHARS],
        created_at=as_utc(now or utc_now()),
    )
    session.add(answer)
    session.flush()
    return answer


def advance(session: Session, reflection: Reflection, now: datetime | None = None) -> str | None:
    """Move to the next question; finish the reflection after the last. Returns the new position."""
    following = content().step_after(reflection.position_question_id)
    reflection.position_question_id = following.id if following else None
    if following is None:
        reflection.finished_at = as_utc(now or utc_now())
    session.flush()
    return reflection.position_question_id


def answers(session: Session, reflection: Reflection) -> list[ReflectionAnswer]:
    """The answers in the order the questions are asked."""
    order = {step.id: index for index, step in enumerate(content().steps)}
    found = session.execute(select(ReflectionAnswer).where(ReflectionAnswer.reflection_id == reflection.id)).scalars()
    return sorted(found, key=lambda answer: (order.get(answer.question_id, len(order)), answer.created_at))


def latest_reflection(session: Session, person_id: str) -> Reflection | None:
    return latest_offer(session, person_id)
