"""Reaching a person outside a conversation: only by a number they texted from, never after STOP."""

from __future__ import annotations

from bot.common.clock import utc_now
from bot.services.messaging.reach import remember_sms_number, tell_person
from bot.store.db import unit_of_work
from bot.store.models import Person
from bot.store.outbox_models import OutboxMessage


def _person() -> str:
    with unit_of_work() as session:
        person = Person()
        session.add(person)
        session.flush()
        return person.id


def test_a_person_is_texted_at_the_number_they_use(migrated_database):
    person_id = _person()
    with unit_of_work() as session:
        remember_sms_number(session, person_id, "+447700900555")
        assert tell_person(session, person_id, "Sam has read it", idempotency_key=f"ack-{person_id}", purpose="ack")
    with unit_of_work() as session:
        message = session.query(OutboxMessage).filter_by(idempotency_key=f"ack-{person_id}").one()
        assert message.recipient == "+447700900555" and message.person_id == person_id


def test_nothing_is_queued_without_a_number_or_after_opting_out(migrated_database):
    person_id = _person()
    with unit_of_work() as session:
        assert not tell_person(session, person_id, "x", idempotency_key=f"none-{person_id}", purpose="ack")
        contact = remember_sms_number(session, person_id, "+447700900556")
        contact.opted_out_at = utc_now()
        assert not tell_person(session, person_id, "x", idempotency_key=f"stop-{person_id}", purpose="ack")
