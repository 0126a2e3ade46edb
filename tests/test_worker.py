"""The worker delivers the outbox exactly once: to the local sinks, through a fake Twilio API
(the real twilio library over HTTP to a local server) and a fake SMTP server (real smtplib).
Retries never double-send; a worker killed mid-send is settled by asking Twilio."""

from __future__ import annotations

import dataclasses
import itertools
import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest

from bot.common.clock import utc_now
from bot.services.messaging import dispatch, outbox
from bot.services.messaging.email_delivery import EmailSinkSender, SmtpSender
from bot.services.messaging.reach import contact_for_number, remember_sms_number
from bot.services.messaging.sms_delivery import SinkSender, TwilioSender, read_sink
from bot.settings import PROJECT_ROOT, get_settings
from bot.store.db import unit_of_work
from bot.store.models import Person
from bot.store.outbox_models import OutboxMessage, OutboxStatus
from tests.support.fake_smtp import FakeSmtp
from tests.support.fake_twilio import (
    ACCEPT_THEN_500,
    ACCEPT_THEN_HANG_UP,
    ACCOUNT_SID,
    AUTH_TOKEN,
    TWILIO_NUMBER,
    FakeTwilio,
)

_numbers = itertools.count(1)


@pytest.fixture
def number(migrated_database) -> str:
    return f"+4477009{50000 + next(_numbers):05d}"


@pytest.fixture
def fake_twilio():
    with FakeTwilio() as fake:
        yield fake


def twilio_settings(**extra):
    return dataclasses.replace(
        get_settings(),
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_number=TWILIO_NUMBER,
        **extra,
    )


def twilio_senders(fake: FakeTwilio, tmp_path, **extra) -> dispatch.Senders:
    return dispatch.Senders(
        sms=TwilioSender(twilio_settings(**extra), http_client=fake.http_client()),
        email=EmailSinkSender(tmp_path / "email.jsonl"),
    )


def queue(number: str, body: str = "Hello from Alongside.", purpose: str = "reply", channel: str = "sms") -> str:
    with unit_of_work() as session:
        person = Person()
        session.add(person)
        session.flush()
        if channel == "sms":
            remember_sms_number(session, person.id, number)
        return outbox.enqueue(
            session,
            channel=channel,
            recipient=number,
            body=body,
            purpose=purpose,
            person_id=person.id,
            idempotency_key=f"test:{number}:{body}:{utc_now().timestamp()}",
            subject="Test" if channel == "email" else None,
        ).id


def message(message_id: str) -> OutboxMessage:
    with unit_of_work() as session:
        return session.get(OutboxMessage, message_id)


def test_without_twilio_texts_go_to_the_local_sink_once(number, tmp_path):
    sink = tmp_path / "sms.jsonl"
    senders = dispatch.Senders(sms=SinkSender(sink), email=EmailSinkSender(tmp_path / "email.jsonl"))
    message_id = queue(number)
    dispatch.run_once(senders=senders)
    dispatch.run_once(senders=senders)
    records = [record for record in read_sink(sink) if record["to"] == number]
    assert [record["body"] for record in records] == ["Hello from Alongside."]
    sent = message(message_id)
    assert sent.status is OutboxStatus.sent and sent.provider_id == records[0]["sid"]


def test_one_run_drains_a_queue_longer_than_a_batch_newest_text_included(migrated_database, tmp_path):
    sink = tmp_path / "sms.jsonl"
    senders = dispatch.Senders(sms=SinkSender(sink), email=EmailSinkSender(tmp_path / "email.jsonl"))
    numbers = [f"+4477009{70000 + index:05d}" for index in range(dispatch.DELIVERY_BATCH * 2 + 7)]
    queued = [queue(to, body=f"Text {index}") for index, to in enumerate(numbers)]
    report = dispatch.run_once(senders=senders)
    assert report.sent >= len(queued)
    assert all(message(message_id).status is OutboxStatus.sent for message_id in queued)
    delivered = {record["to"] for record in read_sink(sink)}
    assert numbers[-1] in delivered and set(numbers) <= delivered
    assert dispatch.run_once(senders=senders).sent == 0  # nothing sent twice


def test_a_text_goes_through_twilio_with_the_status_callback(number, fake_twilio, tmp_path):
    senders = twilio_senders(fake_twilio, tmp_path, public_base_url="https://alongside.example.org")
    message_id = queue(number)
    report = dispatch.run_once(senders=senders)
    [created] = fake_twilio.sent_to(number)
    assert (created["from"], created["body"]) == (TWILIO_NUMBER, "Hello from Alongside.")
    assert created["status_callback"] == "https://alongside.example.org/webhooks/twilio/status"
    assert report.sent >= 1 and message(message_id).provider_id == created["sid"]


def test_a_500_is_retried_later_without_double_sending(number, fake_twilio, tmp_path):
    senders = twilio_senders(fake_twilio, tmp_path)
    message_id = queue(number)
    fake_twilio.fail_next(500)
    now = utc_now()
    dispatch.run_once(now, senders=senders)
    waiting = message(message_id)
    assert waiting.status is OutboxStatus.pending and waiting.last_error == "twilio-500-20500"
    assert fake_twilio.sent_to(number) == []
    dispatch.run_once(now + timedelta(seconds=5), senders=senders)  # not due yet: backoff
    assert fake_twilio.sent_to(number) == []
    dispatch.run_once(now + outbox.FIRST_RETRY_AFTER, senders=senders)
    dispatch.run_once(now + outbox.FIRST_RETRY_AFTER * 10, senders=senders)
    assert len(fake_twilio.sent_to(number)) == 1 and message(message_id).status is OutboxStatus.sent


def test_a_500_for_a_text_twilio_took_after_all_is_not_sent_again(number, fake_twilio, tmp_path):
    senders = twilio_senders(fake_twilio, tmp_path)
    message_id = queue(number)
    fake_twilio.fail_next(ACCEPT_THEN_500)
    now = utc_now()
    dispatch.run_once(now, senders=senders)
    assert message(message_id).status is OutboxStatus.pending
    dispatch.run_once(now + outbox.FIRST_RETRY_AFTER, senders=senders)
    [created] = fake_twilio.sent_to(number)
    assert message(message_id).status is OutboxStatus.sent and message(message_id).provider_id == created["sid"]


def test_a_hang_up_after_sending_is_checked_with_twilio_not_resent(number, fake_twilio, tmp_path):
    senders = twilio_senders(fake_twilio, tmp_path)
    message_id = queue(number)
    fake_twilio.fail_next(ACCEPT_THEN_HANG_UP)
    now = utc_now()
    report = dispatch.run_once(now, senders=senders)
    left = message(message_id)
    assert report.uncertain == 1 and left.status is OutboxStatus.sending and left.last_error.startswith("connection-")
    dispatch.run_once(now + timedelta(minutes=1), senders=senders)  # not stale yet: left alone
    assert message(message_id).status is OutboxStatus.sending
    dispatch.run_once(now + outbox.STALE_CLAIM_AFTER + timedelta(seconds=1), senders=senders)
    [created] = fake_twilio.sent_to(number)
    assert message(message_id).status is OutboxStatus.sent and message(message_id).provider_id == created["sid"]


def test_a_bad_number_fails_at_once_and_an_opted_out_number_is_recorded(number, fake_twilio, tmp_path):
    senders = twilio_senders(fake_twilio, tmp_path)
    bad = queue(number, "To a bad number.")
    fake_twilio.fail_next((400, 21211))
    dispatch.run_once(senders=senders)
    assert message(bad).status is OutboxStatus.failed and message(bad).last_error == "twilio-400-21211"
    first, second = queue(number, "First."), None
    with unit_of_work() as session:
        person_id = session.get(OutboxMessage, first).person_id
        second = outbox.enqueue(
            session,
            channel="sms",
            recipient=number,
            body="Second.",
            purpose="reply",
            person_id=person_id,
            idempotency_key=f"second:{number}",
        ).id
    fake_twilio.fail_next((400, 21610))
    dispatch.run_once(senders=senders)
    assert message(first).last_error == "twilio-400-21610"
    assert message(second).status is OutboxStatus.cancelled
    with unit_of_work() as session:
        assert contact_for_number(session, number).opted_out_at is not None
    assert fake_twilio.sent_to(number) == []


def test_after_stop_only_a_crisis_reply_is_sent(number, fake_twilio, tmp_path):
    senders = twilio_senders(fake_twilio, tmp_path)
    ordinary = queue(number, "Ordinary.")
    crisis = queue(number, "Please call 999.", purpose="crisis_reply")
    with unit_of_work() as session:
        contact_for_number(session, number).opted_out_at = utc_now()
    dispatch.run_once(senders=senders)
    assert message(ordinary).status is OutboxStatus.cancelled
    assert message(crisis).status is OutboxStatus.sent
    assert [m["body"] for m in fake_twilio.sent_to(number)] == ["Please call 999."]


def test_a_stale_claim_twilio_never_got_is_sent_once(number, fake_twilio, tmp_path):
    senders = twilio_senders(fake_twilio, tmp_path)
    message_id = queue(number)
    long_ago = utc_now() - timedelta(minutes=10)
    with unit_of_work() as session:
        assert outbox.claim(session, message_id, long_ago)
    report = dispatch.run_once(senders=senders)
    assert report.requeued == 1 and message(message_id).status is OutboxStatus.pending
    dispatch.run_once(utc_now() + outbox.FIRST_RETRY_AFTER * 4, senders=senders)
    assert len(fake_twilio.sent_to(number)) == 1 and message(message_id).status is OutboxStatus.sent


def test_a_stale_claim_is_unknown_when_twilio_cannot_be_asked(number, fake_twilio, tmp_path):
    senders = twilio_senders(fake_twilio, tmp_path)
    message_id = queue(number)
    with unit_of_work() as session:
        assert outbox.claim(session, message_id, utc_now() - timedelta(minutes=10))
    fake_twilio.list_failures.append(503)
    dispatch.run_once(senders=senders)
    assert message(message_id).status is OutboxStatus.unknown
    dispatch.run_once(utc_now() + timedelta(hours=1), senders=senders)
    assert fake_twilio.sent_to(number) == []


def test_a_worker_killed_after_twilio_accepted_the_text_does_not_send_it_twice(number, fake_twilio, tmp_path):
    """A real worker process is killed while Twilio holds the text it accepted; the next run
    finds the claim stale, asks Twilio, and records it as sent."""
    message_id = queue(number)
    fake_twilio.hold_creates_to = number
    environment = {
        **os.environ,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_NUMBER": TWILIO_NUMBER,
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.worker_process", fake_twilio.base_url],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert fake_twilio.held.wait(120), process.stderr.read().decode() if process.poll() is not None else "no send"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    assert message(message_id).status is OutboxStatus.sending
    report = dispatch.run_once(
        utc_now() + outbox.STALE_CLAIM_AFTER + timedelta(seconds=1), senders=twilio_senders(fake_twilio, tmp_path)
    )
    [created] = fake_twilio.sent_to(number)
    assert report.found_already_sent >= 1
    assert message(message_id).status is OutboxStatus.sent and message(message_id).provider_id == created["sid"]


# -- email ---------------------------------------------------------------------------------------


def smtp_senders(smtp: FakeSmtp, tmp_path) -> dispatch.Senders:
    settings = dataclasses.replace(
        get_settings(),
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_from="alongside@example.org",
        smtp_starttls=False,
    )
    return dispatch.Senders(sms=SinkSender(tmp_path / "sms.jsonl"), email=SmtpSender(settings))


def test_an_email_goes_by_smtp_once_and_a_451_is_retried(migrated_database, tmp_path):
    with FakeSmtp() as smtp:
        senders = smtp_senders(smtp, tmp_path)
        address = f"coordinator-{next(_numbers)}@example.org"
        message_id = queue(address, "There is something new to look at.", purpose="notification", channel="email")
        smtp.temporary_failures = 1
        now = utc_now()
        dispatch.run_once(now, senders=senders)
        assert message(message_id).status is OutboxStatus.pending and message(message_id).last_error == "smtp-451"
        dispatch.run_once(now + outbox.FIRST_RETRY_AFTER, senders=senders)
        dispatch.run_once(now + outbox.FIRST_RETRY_AFTER * 10, senders=senders)
        delivered = [m for m in smtp.messages if m["To"] == address]
    assert len(delivered) == 1 and delivered[0]["From"] == "alongside@example.org"
    assert "something new" in delivered[0].get_payload() and message(message_id).status is OutboxStatus.sent


def test_a_refused_address_fails_and_without_smtp_email_goes_to_the_sink(migrated_database, tmp_path):
    with FakeSmtp() as smtp:
        address = f"nobody-{next(_numbers)}@example.org"
        smtp.refuse_recipients.add(address)
        refused = queue(address, "Something to look at.", purpose="notification", channel="email")
        dispatch.run_once(senders=smtp_senders(smtp, tmp_path))
    assert message(refused).status is OutboxStatus.failed and message(refused).last_error == "smtp-recipient-refused"
    sink = tmp_path / "email-sink.jsonl"
    address = f"someone-{next(_numbers)}@example.org"
    queue(address, "Something to look at.", purpose="notification", channel="email")
    dispatch.run_once(senders=dispatch.Senders(sms=SinkSender(tmp_path / "s.jsonl"), email=EmailSinkSender(sink)))
    assert [record["subject"] for record in read_sink(sink) if record["to"] == address] == ["Test"]


def test_an_email_left_mid_send_is_marked_unknown_not_resent(migrated_database, tmp_path):
    address = f"stale-{next(_numbers)}@example.org"
    message_id = queue(address, "Something to look at.", purpose="notification", channel="email")
    with unit_of_work() as session:
        assert outbox.claim(session, message_id, utc_now() - timedelta(minutes=10))
    sink = tmp_path / "email.jsonl"
    dispatch.run_once(senders=dispatch.Senders(sms=SinkSender(tmp_path / "s.jsonl"), email=EmailSinkSender(sink)))
    assert message(message_id).status is OutboxStatus.unknown
    assert all(record["to"] != address for record in read_sink(sink))
