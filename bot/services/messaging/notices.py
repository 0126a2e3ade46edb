"""Messages for a person that wait for their next conversation.

When Alongside cannot text someone (they use web chat only, or texted STOP), a message such as
"Sam has read your triggers" is kept here, encrypted, and shown the next time they talk to
Alongside. The chat calls `take_unseen()` at the start of a conversation and shows what it
returns; each notice is shown once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import utc_now
from bot.store.dashboard_models import PersonNotice


def leave_notice(session: Session, person_id: str, kind: str, body: str, now: datetime | None = None) -> PersonNotice:
    notice = PersonNotice(person_id=person_id, kind=kind, body=body, created_at=now or utc_now())
    session.add(notice)
    session.flush()
    return notice


def take_unseen(session: Session, person_id: str, now: datetime | None = None) -> list[str]:
    """The person's notices not yet shown, oldest first, marked as shown."""
    notices = list(
        session.execute(
            select(PersonNotice)
            .where(PersonNotice.person_id == person_id, PersonNotice.shown_at.is_(None))
            .order_by(PersonNotice.created_at)
        ).scalars()
    )
    for notice in notices:
        notice.shown_at = now or utc_now()
    session.flush()
    return [notice.body for notice in notices]
