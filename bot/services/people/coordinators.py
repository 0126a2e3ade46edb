"""Who a person's care coordinator is: the coordinator of the newest caseload entry open at
that moment, and the name people know them by (StaffAccount.display_name, e.g. "Sam").
Used wherever Alongside names the coordinator, asks to share with them or tells them something."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.common.clock import as_utc, utc_now
from bot.store.models import CaseloadEntry
from bot.store.staff_models import StaffAccount


@dataclass(frozen=True)
class Coordinator:
    person_id: str
    display_name: str  # "Sam"

    @property
    def name(self) -> str:
        return self.display_name


def coordinator_for(session: Session, person_id: str, now: datetime | None = None) -> Coordinator | None:
    """The person's care coordinator at `now` (default: now), or None if on nobody's caseload."""
    now = as_utc(now or utc_now())
    row = session.execute(
        select(CaseloadEntry.coordinator_id, StaffAccount.display_name)
        .join(StaffAccount, StaffAccount.person_id == CaseloadEntry.coordinator_id)
        .where(
            CaseloadEntry.service_user_id == person_id,
            CaseloadEntry.started_at <= now,
            or_(CaseloadEntry.ended_at.is_(None), CaseloadEntry.ended_at > now),
        )
        .order_by(CaseloadEntry.started_at.desc())
        .limit(1)
    ).first()
    return Coordinator(row.coordinator_id, row.display_name) if row else None
