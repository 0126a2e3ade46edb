""" "Review suggested": a flag the coordinator's dashboard shows, raised only with the person's
consent for their goals and check-ins (category goals_checkins) to be seen by that coordinator.

Consent is read and recorded through the consent ledger (bot/services/consent/ledger.py), so a
withdrawal or a passed review date stops flags at once, and every grant is audited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import as_utc, utc_now
from bot.services.consent import ledger as consent
from bot.services.people.coordinators import coordinator_for
from bot.store.consent_models import ConsentRecord
from bot.store.goals_models import ReviewFlag

CATEGORY = "goals_checkins"
REASONS = ("checkins_no_progress", "no_update", "said_stuck")


def may_flag_review(session: Session, person_id: str, now: datetime | None = None) -> bool:
    """Whether the person's coordinator may be told a review could help: they have one, and
    an active consent to that coordinator covers goals_checkins (bot/services/consent/ledger.py)."""
    coordinator = coordinator_for(session, person_id)
    if coordinator is None:
        return False
    return CATEGORY in consent.active_categories(session, person_id, coordinator.person_id, now)


def record_consent(
    session: Session, person_id: str, wording: str, channel: str, now: datetime | None = None
) -> ConsentRecord | None:
    """The person said yes to their coordinator seeing their goals and check-ins and the flag.
    None if they have no coordinator to grant it to."""
    coordinator = coordinator_for(session, person_id)
    if coordinator is None:
        return None
    records = consent.grant(
        session, person_id, coordinator.person_id, [CATEGORY], wording=wording, channel=channel, now=now
    )
    return records[0] if records else None


def open_flag(session: Session, person_id: str) -> ReviewFlag | None:
    return session.execute(
        select(ReviewFlag)
        .where(ReviewFlag.person_id == person_id, ReviewFlag.cleared_at.is_(None))
        .order_by(ReviewFlag.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def flag_review(
    session: Session, person_id: str, reason: str, reflection_id: str | None = None, now: datetime | None = None
) -> ReviewFlag | None:
    """Raise "review suggested", only with consent; an open flag is not raised twice.
    None when consent does not allow it."""
    if reason not in REASONS:
        raise ValueError(f"Unknown reason {reason!r}.")
    if not may_flag_review(session, person_id, now):
        return None
    existing = open_flag(session, person_id)
    if existing is not None:
        return existing
    coordinator = coordinator_for(session, person_id)
    flag = ReviewFlag(
        person_id=person_id,
        coordinator_id=coordinator.person_id if coordinator else None,
        reason=reason,
        reflection_id=reflection_id,
        created_at=as_utc(now or utc_now()),
    )
    session.add(flag)
    session.flush()
    return flag


def flags_for_coordinator(session: Session, coordinator_id: str) -> list[ReviewFlag]:
    """Open flags for the dashboard, newest first. The dashboard should still check consent
    is active when showing them (it can be withdrawn after the flag was raised)."""
    return list(
        session.execute(
            select(ReviewFlag)
            .where(ReviewFlag.coordinator_id == coordinator_id, ReviewFlag.cleared_at.is_(None))
            .order_by(ReviewFlag.created_at.desc())
        ).scalars()
    )


def clear_flag(session: Session, flag_id: str, cleared_by: str | None, now: datetime | None = None) -> bool:
    flag = session.get(ReviewFlag, flag_id)
    if flag is None or flag.cleared_at is not None:
        return False
    flag.cleared_at = as_utc(now or utc_now())
    flag.cleared_by = cleared_by
    session.flush()
    return True
