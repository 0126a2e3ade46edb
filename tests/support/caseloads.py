"""Care coordinators and caseloads, set up inside a session the test already holds."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from bot.common.clock import utc_now
from bot.store.models import CaseloadEntry, Person, Role
from bot.store.staff_models import StaffAccount


def add_coordinator(
    session: Session,
    display_name: str = "Sam",
    notify_channel: str = "sms",
    notify_address: str | None = "+447700900001",
) -> str:
    """A coordinator with a staff account; returns their person id."""
    person = Person(role=Role.coordinator)
    session.add(person)
    session.flush()
    session.add(
        StaffAccount(
            person_id=person.id,
            username=f"coordinator-{uuid.uuid4().hex[:12]}",
            display_name=display_name,
            notify_channel=notify_channel,
            notify_address=notify_address,
        )
    )
    session.flush()
    return person.id


def enrol(
    session: Session, coordinator_id: str, service_user_id: str, started_at: datetime | None = None
) -> CaseloadEntry:
    entry = CaseloadEntry(
        coordinator_id=coordinator_id, service_user_id=service_user_id, started_at=started_at or utc_now()
    )
    session.add(entry)
    session.flush()
    return entry


def add_person(session: Session) -> str:
    person = Person(role=Role.service_user)
    session.add(person)
    session.flush()
    return person.id
