"""A carer marks the message they have just left for the team as urgent.

Why: a carer's worry ("she has not eaten for three days") can matter more than the order it
arrived in. The carer, not Alongside, says it cannot wait (issue 22.6). Marking it:

- puts it first among that person's carers' messages on the coordinator's dashboard, with an
  "Urgent" tag, and marks the person on the caseload page;
- sends the coordinator a second notice that says only that a message is marked urgent
  (nothing about health or who, like every notification);
- is audited, without the words.

It does not make Alongside watched around the clock: every reply about it repeats that it is
not, with 999 and NHS 111 (content/carers.yml message_not_watched). Only the carer's newest
message from the last day can be marked, so "urgent" said next week does not mark an old one.

Plain Python, no Rasa: bot/actions/carers.py calls `mark_latest_urgent` and says the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import utc_now
from bot.services.carers import carers
from bot.services.privacy import audit
from bot.services.staff import accounts
from bot.store.carer_models import CarerMessage

MARKABLE_FOR = timedelta(days=1)


class UrgentOutcome(str, Enum):
    marked = "marked"  # its coordinator is told
    marked_no_coordinator = "marked_no_coordinator"  # no coordinator was linked when it was left
    already = "already"  # the newest message is marked urgent already
    nothing_recent = "nothing_recent"  # no message from this carer in the last day
    not_linked = "not_linked"  # not a carer linked with anyone


@dataclass(frozen=True)
class UrgentResult:
    outcome: UrgentOutcome
    coordinator_name: str | None = None  # with `marked`: who will see it first


def mark_latest_urgent(session: Session, carer_id: str, now: datetime | None = None) -> UrgentResult:
    """Mark the carer's newest message (left in the last day) urgent and tell its coordinator."""
    now = now or utc_now()
    if not carers.people_linked_to(session, carer_id):
        return UrgentResult(UrgentOutcome.not_linked)
    latest = session.execute(
        select(CarerMessage)
        .where(
            CarerMessage.carer_person_id == carer_id,
            CarerMessage.about_person_id.is_not(None),
            CarerMessage.created_at >= now - MARKABLE_FOR,
        )
        .order_by(CarerMessage.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if latest is None:
        return UrgentResult(UrgentOutcome.nothing_recent)
    if latest.urgent_at is not None:
        return UrgentResult(UrgentOutcome.already)
    latest.urgent_at = now
    audit.record(
        session,
        carer_id,
        "carer_message_marked_urgent",
        latest.about_person_id,
        f"message:{latest.id}",
        actor_kind="person",
        now=now,
    )
    session.flush()
    coordinator = latest.coordinator_id
    name = accounts.display_names(session, {coordinator}).get(coordinator) if coordinator else None
    if coordinator is None or name is None:  # none when it was left, or their account is gone
        return UrgentResult(UrgentOutcome.marked_no_coordinator)
    carers.notify_coordinator(session, coordinator, latest, urgent=True)
    return UrgentResult(UrgentOutcome.marked, name)
