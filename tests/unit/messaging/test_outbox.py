"""The outbox's bookkeeping: idempotent queuing, one claim per message, backoff, delivery order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.common.clock import utc_now
from bot.services.messaging import outbox
from bot.store.db import get_engine, unit_of_work
from bot.store.models import Person
from bot.store.outbox_models import OutboxMessage, OutboxStatus


@pytest.fixture
def person_id(migrated_database) -> str:
    with unit_of_work() as session:
        person = Person()
        session.add(person)
        session.flush()
        return person.id


def _queue(person_id: str, key: str, **extra) -> str:
    with unit_of_work() as session:
        return outbox.enqueue(
            session,
            channel="sms",
            recipient="+447700900123",
            body="Hello",
            idempotency_key=key,
            purpose="reply",
            person_id=person_id,
            **extra,
        ).id


def test_same_idempotency_key_queues_one_message(person_id):
    first = _queue(person_id, f"k-{person_id}")
    second = _queue(person_id, f"k-{person_id}")
    assert first == second
    with unit_of_work() as session:
        count = session.query(OutboxMessage).filter_by(idempotency_key=f"k-{person_id}").count()
    assert count == 1


def test_recipient_and_body_are_not_stored_in_clear(person_id):
    message_id = _queue(person_id, f"clear-{person_id}")
    with get_engine().connect() as connection:
        row = connection.execute(
            text("SELECT recipient, body FROM outbox_messages WHERE id = :id"), {"id": message_id}
        ).one()
    assert "7700900123" not in row.recipient and "Hello" not in row.body
    with unit_of_work() as session:
        message = session.get(OutboxMessage, message_id)
        assert (message.recipient, message.body) == ("+447700900123", "Hello")


def test_a_message_is_claimed_once(person_id):
    message_id = _queue(person_id, f"claim-{person_id}")
    everything = 1_000_000  # other tests leave messages pending in the shared database; see them all
    with unit_of_work() as session:
        assert message_id in outbox.due_ids(session, limit=everything)
        assert outbox.claim(session, message_id) is True
        assert outbox.claim(session, message_id) is False
        assert message_id not in outbox.due_ids(session, limit=everything)


def test_retries_back_off_then_give_up(person_id):
    message_id = _queue(person_id, f"retry-{person_id}")
    now = utc_now()
    waits = []
    for _ in range(outbox.MAX_ATTEMPTS):
        with unit_of_work() as session:
            message = session.get(OutboxMessage, message_id)
            if message.status is OutboxStatus.failed:
                break
            message.status = OutboxStatus.pending
            session.flush()
            assert outbox.claim(session, message_id, now)
            session.refresh(message)
            outbox.mark_retry(message, "TwilioRestException 500", now)
            if message.status is OutboxStatus.pending:
                waits.append(message.next_attempt_at.replace(tzinfo=now.tzinfo) - now)
    assert waits == sorted(waits) and waits[0] == outbox.FIRST_RETRY_AFTER
    with unit_of_work() as session:
        assert session.get(OutboxMessage, message_id).status is OutboxStatus.failed


def test_a_stopped_workers_claim_is_found(person_id):
    message_id = _queue(person_id, f"stale-{person_id}")
    with unit_of_work() as session:
        assert outbox.claim(session, message_id, utc_now() - timedelta(minutes=10))
    with unit_of_work() as session:
        assert message_id in [message.id for message in outbox.stale_claims(session)]


def test_delivery_reports_never_go_backwards(person_id):
    message_id = _queue(person_id, f"status-{person_id}")
    with unit_of_work() as session:
        message = session.get(OutboxMessage, message_id)
        outbox.claim(session, message_id)
        outbox.mark_sent(message, f"SM{person_id.replace('-', '')[:32]}")
        provider_id = message.provider_id
    for status in ("delivered", "sent", "queued"):
        with unit_of_work() as session:
            assert outbox.record_delivery_status(session, provider_id, status)
    with unit_of_work() as session:
        assert session.get(OutboxMessage, message_id).delivery_status == "delivered"
        assert outbox.record_delivery_status(session, "SMnobody", "delivered") is False


def test_cancel_pending_for_a_person(person_id):
    message_id = _queue(person_id, f"cancel-{person_id}")
    with unit_of_work() as session:
        assert outbox.cancel_pending_for(session, person_id, "sms") == 1
        assert session.get(OutboxMessage, message_id).status is OutboxStatus.cancelled
