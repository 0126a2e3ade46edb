"""Who a person's care coordinator is, when we know: the newest open caseload entry, and the
name they go by (StaffAccount.display_name). Used to personalise what Alongside says."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import CaseloadEntry
from bot.store.staff_models import StaffAccount


@dataclass(frozen=True)
class Coordinator:
    person_id: str
    name: str | None  # None when they have no staff account (yet)


def coordinator_for(session: Session, person_id: str) -> Coordinator | None:
    """The person's care coordinator now, or None if they are on nobody's caseload."""
    row = session.execute(
        select(CaseloadEntry.coordinator_id, StaffAccount.display_name)
        .outerjoin(StaffAccount, StaffAccount.person_id == CaseloadEntry.coordinator_id)
        .where(CaseloadEntry.service_user_id == person_id, CaseloadEntry.ended_at.is_(None))
        .order_by(CaseloadEntry.started_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    name = (row.display_name or "").strip() or None
    return Coordinator(row.coordinator_id, name)
