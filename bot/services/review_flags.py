""""Review suggested": a flag the coordinator's dashboard shows, raised only with the person's
consent for their goals and check-ins (category goals_checkins) to be seen by that coordinator.

Consent lives in the shared consent ledger (bot/store/consent_models.ConsentRecord,
append-only: the latest record for a person, recipient and category is what holds now).
`may_flag_review` reads it directly; when the consent service (bot/services/consent.py) is
merged, it is the one line to swap for `"goals_checkins" in consent.active_categories(...)`.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.coordinators import coordinator_for
from bot.services.moments import as_utc, utc_now
from bot.store.consent_models import ConsentDecision, ConsentRecord, RecipientKind
from bot.store.goals_models import ReviewFlag

CATEGORY = "goals_checkins"
PURPOSE = "review_suggested"
REASONS = ("checkins_no_progress", "no_update", "said_stuck")


def may_flag_review(session: Session, person_id: str, now: datetime | None = None) -> bool:
    """Whether the person's coordinator may be told a review could help: they have one, and
    the newest consent record for that coordinator and goals_checkins is a grant."""
    coordinator = coordinator_for(session, person_id)
    if coordinator is None:
        return False
    latest = session.execute(
        select(ConsentRecord)
        .where(
            ConsentRecord.person_id == person_id,
            ConsentRecord.recipient_id == coordinator.person_id,
            ConsentRecord.category == CATEGORY,
        )
        .order_by(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return latest is not None and latest.decision == ConsentDecision.granted


def record_consent(
    session: Session, person_id: str, wording: str, channel: str, now: datetime | None = None
) -> ConsentRecord | None:
    """The person said yes to their coordinator seeing their goals and check-ins and the flag.
    None if they have no coordinator to grant it to."""
    coordinator = coordinator_for(session, person_id)
    if coordinator is None:
        return None
    record = ConsentRecord(
        person_id=person_id,
        recipient_kind=RecipientKind.coordinator,
        recipient_id=coordinator.person_id,
        category=CATEGORY,
        decision=ConsentDecision.granted,
        purpose=PURPOSE,
        wording=wording,
        channel=channel,
        recorded_at=as_utc(now or utc_now()),
    )
    session.add(record)
    session.flush()
    return record


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
        person_id=person_id, coordinator_id=coordinator.person_id if coordinator else None,
        reason=reason, reflection_id=reflection_id, created_at=as_utc(now or utc_now()),
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
