"""A coordinator acknowledges what a person shared, and the person is told.

"Sam has read your triggers and early warning signs" (content/dashboard.yml): it names the
categories, never their content. It goes by text when the person can be texted
(bot/services/messaging/reach.py), else it waits for their next conversation (bot/services/messaging/notices.py).
The idempotency key is made from the share events acknowledged, so a double click or a retry
never sends it twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.coordination import dashboard
from bot.services.coordination.dashboard_content import load_dashboard_content
from bot.services.messaging import notices, reach
from bot.services.people import enrolment
from bot.services.privacy import audit
from bot.store.staff_models import StaffAccount

PURPOSE = "acknowledgement"


@dataclass(frozen=True)
class Acknowledgement:
    categories: tuple[str, ...]  # category ids, in content order
    texted: bool  # False: kept for the person's next conversation


def acknowledge(session: Session, coordinator_id: str, person_id: str, now: datetime) -> Acknowledgement | None:
    """Acknowledge everything waiting from this person. None if nothing was waiting (or the
    person is not on this coordinator's caseload)."""
    if enrolment.active_entry(session, coordinator_id, person_id) is None:
        return None
    waiting, active = dashboard.waiting_share_events(session, person_id, coordinator_id, now)
    if not waiting:
        return None
    categories = tuple(dashboard.in_content_order(dashboard.categories_of(waiting) & active))
    for event in waiting:
        event.acknowledged_at = now
        if event.read_at is None:
            event.read_at = now
    coordinator = session.get(StaffAccount, coordinator_id)
    content = load_dashboard_content()
    body = content.text(
        "acknowledged", coordinator=coordinator.display_name, categories=content.categories_phrase(categories)
    )
    key = "acknowledgement:" + hashlib.sha256(",".join(sorted(e.id for e in waiting)).encode()).hexdigest()[:40]
    texted = reach.tell_person(session, person_id, body, idempotency_key=key, purpose=PURPOSE)
    if not texted:
        notices.leave_notice(session, person_id, PURPOSE, body, now=now)
    session.flush()
    audit.record(
        session,
        coordinator_id,
        "share_acknowledged",
        person_id,
        f"{','.join(categories)} told:{'sms' if texted else 'next-chat'}"[: audit.MAX_DETAIL_CHARS],
        now=now,
    )
    return Acknowledgement(categories, texted)
