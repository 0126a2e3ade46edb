"""A carer marks their message urgent (bot/services/carers/urgent.py), on the real database:
only their newest message from the last day, once, audited, with a second content-free
notice, and the dashboard and caseload show it first."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.services.carers import carers, urgent
from bot.services.carers.urgent import UrgentOutcome
from bot.store.audit_models import AuditEntry
from bot.store.carer_models import CarerMessage
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage
from tests.support.coordinators import enrol, make_coordinator, make_person
from tests.unit.carers.test_carers import carer_address, carer_id, enter, make_code


@pytest.fixture
def person(migrated_database) -> str:
    return make_person()


def linked(person_id: str, notify: str = "email") -> tuple[tuple[str, str], str, datetime]:
    """A carer linked with the person, whose coordinator is Sam; and the time after it all."""
    username, coordinator_id = make_coordinator(name="Sam", notify=notify)
    enrol(username, person_id)
    who = carer_address()
    enter(who, make_code(person_id).code, datetime.now(timezone.utc))
    return who, coordinator_id, datetime.now(timezone.utc)


def leave(who: tuple[str, str], text: str, now: datetime) -> str:
    with unit_of_work() as session:
        return carers.leave_message(session, carer_id(who), text, channel="sms", now=now).message_ids[0]


def mark(who: tuple[str, str], now: datetime) -> urgent.UrgentResult:
    with unit_of_work() as session:
        return urgent.mark_latest_urgent(session, carer_id(who), now)


def test_the_newest_message_is_marked_once_with_a_notice_that_says_nothing_about_health(person):
    who, coordinator_id, now = linked(person)
    older = leave(who, "she is not sleeping", now + timedelta(minutes=1))
    newest = leave(who, "she has not eaten for three days", now + timedelta(minutes=2))
    result = mark(who, now + timedelta(minutes=3))
    assert result == urgent.UrgentResult(UrgentOutcome.marked, "Sam")
    assert mark(who, now + timedelta(minutes=4)).outcome is UrgentOutcome.already
    with unit_of_work() as session:
        assert session.get(CarerMessage, newest).urgent_at is not None
        assert session.get(CarerMessage, older).urgent_at is None
        notices = session.execute(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == f"carer-message-urgent:{newest}")
        ).scalars()
        [notice] = list(notices)
        assert notice.subject == carers.carers_content().urgent_subject
        assert "eaten" not in notice.body and "urgent" in notice.body and f"/people/{person}" in notice.body
        entries = session.execute(
            select(AuditEntry).where(AuditEntry.action == "carer_message_marked_urgent")
        ).scalars()
        assert [entry.detail for entry in entries if entry.subject_person_id == person] == [f"message:{newest}"]


def test_the_dashboard_shows_an_unread_urgent_message_first_and_the_caseload_marks_the_person(person):
    who, coordinator_id, now = linked(person)
    worry = leave(who, "he has stopped his tablets", now + timedelta(minutes=1))
    mark(who, now + timedelta(minutes=2))
    later = leave(who, "he went to bed early", now + timedelta(minutes=3))
    with unit_of_work() as session:
        assert carers.people_with_urgent_unread(session, coordinator_id) == {person}
        shown = carers.messages_for_coordinator(session, coordinator_id, person, now + timedelta(minutes=4))
        assert [(m.id, m.urgent) for m in shown] == [(worry, True), (later, False)]
    with unit_of_work() as session:
        # Once read, it is no longer first: newest first again, still tagged urgent.
        assert carers.people_with_urgent_unread(session, coordinator_id) == set()
        shown = carers.messages_for_coordinator(session, coordinator_id, person, now + timedelta(minutes=5))
        assert [(m.id, m.urgent) for m in shown] == [(later, False), (worry, True)]


def test_only_a_message_from_the_last_day_can_be_marked(person):
    who, _, now = linked(person)
    leave(who, "he missed his appointment", now - timedelta(days=2))
    assert mark(who, now).outcome is UrgentOutcome.nothing_recent


def test_someone_who_is_not_a_linked_carer_marks_nothing(migrated_database):
    assert mark(carer_address(), datetime.now(timezone.utc)).outcome is UrgentOutcome.not_linked


def test_a_message_no_coordinator_was_linked_for_is_marked_and_no_one_is_notified(person):
    who = carer_address()
    enter(who, make_code(person).code, datetime.now(timezone.utc))
    now = datetime.now(timezone.utc)
    message_id = leave(who, "she is not eating", now)
    assert mark(who, now + timedelta(minutes=1)) == urgent.UrgentResult(UrgentOutcome.marked_no_coordinator)
    with unit_of_work() as session:
        assert session.get(CarerMessage, message_id).urgent_at is not None
        assert not list(
            session.execute(
                select(OutboxMessage).where(OutboxMessage.idempotency_key == f"carer-message-urgent:{message_id}")
            ).scalars()
        )
