"""Coordinators, people on their caseloads and things shared, made straight in the database."""

from __future__ import annotations

import uuid
from datetime import datetime

from bot.common.clock import utc_now
from bot.services.messaging.reach import remember_sms_number
from bot.services.people import enrolment
from bot.services.staff import accounts as staff
from bot.services.wrap import plan as wrap
from bot.store.consent_models import ConsentDecision, ConsentRecord, RecipientKind, ShareEvent
from bot.store.db import unit_of_work
from bot.store.models import Person, Role

PASSWORD = "a long enough test password"


def make_coordinator(name: str = "Sam", password: str | None = PASSWORD, notify: str = "email") -> tuple[str, str]:
    """A coordinator with a password; returns (username, person id)."""
    username = f"coord.{uuid.uuid4().hex[:10]}"
    address = f"{username}@example.nhs.uk" if notify == "email" else "+447700900001"
    with unit_of_work() as session:
        account = staff.create_coordinator(session, username, name, notify, address)
        if password:
            staff.set_password(session, account, password)
        return username, account.person_id


def make_person(number: str | None = None) -> str:
    """A service user (optionally texting from `number`); returns their id."""
    with unit_of_work() as session:
        person = Person(role=Role.service_user)
        session.add(person)
        session.flush()
        if number:
            remember_sms_number(session, person.id, number)
        return person.id


def enrol(coordinator_username: str, person_id: str, label: str | None = None) -> None:
    """Put a person on a caseload through a real enrolment code."""
    with unit_of_work() as session:
        account = staff.account_by_username(session, coordinator_username)
        issued = enrolment.issue_code(session, account, label)
    with unit_of_work() as session:
        person = session.get(Person, person_id)
        result = enrolment.redeem_code(session, person, issued.code)
        assert result.outcome is enrolment.Redeemed.enrolled


def save_plan(person_id: str, answers: dict[str, str], channel: str = "sms") -> None:
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        for question_id, text in answers.items():
            wrap.save_answer(session, plan, question_id, text, channel)


def consent(
    person_id: str,
    coordinator_id: str,
    category: str,
    decision: str = "granted",
    at: datetime | None = None,
    review_due_at: datetime | None = None,
) -> None:
    with unit_of_work() as session:
        session.add(
            ConsentRecord(
                person_id=person_id,
                recipient_kind=RecipientKind.coordinator,
                recipient_id=coordinator_id,
                category=category,
                decision=ConsentDecision(decision),
                purpose="care coordination",
                wording="test wording",
                channel="sms",
                recorded_at=at or utc_now(),
                review_due_at=review_due_at,
            )
        )


def share(person_id: str, coordinator_id: str, categories: list[str], at: datetime | None = None) -> str:
    """Consent to each category and a share event, as the consent conversation makes them."""
    for category in categories:
        consent(person_id, coordinator_id, category, at=at)
    with unit_of_work() as session:
        event = ShareEvent(
            person_id=person_id,
            coordinator_id=coordinator_id,
            categories=",".join(categories),
            created_at=at or utc_now(),
        )
        session.add(event)
        session.flush()
        return event.id
