"""What recovery means to a person, in their own words: saved when given, changed at any time,
never silently overwritten (each change is a new version; the old one is kept, marked replaced).
These functions flush but never commit; the caller's `unit_of_work()` does."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import utc_now
from bot.store.goals_models import RecoveryMeaning

MAX_CHARS = 1000
# "recovery to me means being able to work", "for me recovery is ..." -> the words after.
_SAYS_MEANING = re.compile(
    r"^\s*(?:(?:to|for) me,?\s+)?recovery\s+(?:(?:to|for) me\s+)?(?:means|is|would be|would mean)\s*:?\s+(?P<meaning>.+)$",
    re.IGNORECASE | re.DOTALL,
)


def current_meaning(session: Session, person_id: str) -> RecoveryMeaning | None:
    return session.execute(
        select(RecoveryMeaning)
        .where(RecoveryMeaning.person_id == person_id, RecoveryMeaning.replaced_at.is_(None))
        .order_by(RecoveryMeaning.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def meaning_history(session: Session, person_id: str) -> list[RecoveryMeaning]:
    """Every version, oldest first; the last one is the current one."""
    return list(
        session.execute(
            select(RecoveryMeaning)
            .where(RecoveryMeaning.person_id == person_id)
            .order_by(RecoveryMeaning.created_at, RecoveryMeaning.id)
        ).scalars()
    )


def save_meaning(
    session: Session, person_id: str, text: str, channel: str, now: datetime | None = None
) -> tuple[RecoveryMeaning, bool]:
    """Save what recovery means to the person. Returns (current version, whether it changed).

    The same words again (ignoring case and spaces) change nothing. New words become the
    current version; the previous one is kept and marked replaced. ValueError for no words.
    """
    words = " ".join((text or "").split())
    if not re.search(r"\w", words):
        raise ValueError("No words to save.")
    words = words[:MAX_CHARS]
    now = now or utc_now()
    current = current_meaning(session, person_id)
    if current is not None and current.text.casefold() == words.casefold():
        return current, False
    meaning = RecoveryMeaning(
        person_id=person_id,
        text=words,
        channel=channel,
        created_at=now,
        replaces_id=current.id if current else None,
    )
    if current is not None:
        current.replaced_at = now
    session.add(meaning)
    session.flush()
    return meaning, True


def meaning_in(message: str) -> str | None:
    """The meaning someone gave in the same breath as asking ("recovery for me is X"), or None."""
    match = _SAYS_MEANING.match(message or "")
    if not match:
        return None
    meaning = match.group("meaning").strip()
    return meaning if re.search(r"\w", meaning) else None
