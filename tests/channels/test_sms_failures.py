"""SMS crisis replies that must always leave, and turns that fail on our side (issue 21, 1, 2
and 4): over real HTTP with Twilio signatures, the trained agent, and a real refused connection
where the action server should be."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.common.clock import utc_now
from bot.services.people.lookup import person_for_address
from bot.services.privacy import audit
from bot.services.sms.content import load_sms_content
from bot.services.sms.inbound import sender_id_for
from bot.services.wrap import plan as wrap
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxStatus
from bot.store.sms_models import SmsInboundMessage
from tests.support.sms import SmsServer, bodies, messages_for, refuse_actions

pytestmark = pytest.mark.slow

_numbers = itertools.count(1)
CONTACTS = ("999", "116 123", "85258")


@pytest.fixture
def number(migrated_database) -> str:
    return f"+4477009{40000 + next(_numbers):05d}"


@pytest.fixture
async def server(agent):
    async with SmsServer(agent) as running:
        yield running


@pytest.fixture
def action_server_down(agent, monkeypatch):
    """Nothing listens where the action server should be: every custom action is refused."""
    refuse_actions(agent, monkeypatch)
    return agent


def inbound(sid: str) -> SmsInboundMessage:
    with unit_of_work() as session:
        row = session.get(SmsInboundMessage, sid)
        session.expunge(row)
        return row


def person_of(number: str) -> str:
    with unit_of_work() as session:
        return person_for_address(session, "sms", sender_id_for(number)).id


def make_kept_texts_due() -> None:
    with unit_of_work() as session:
        session.execute(
            update(SmsInboundMessage)
            .where(SmsInboundMessage.retry_after.is_not(None))
            .values(retry_after=utc_now() - timedelta(seconds=1))
        )


# -- crisis replies ------------------------------------------------------------------------------


async def test_a_crisis_reply_leaves_at_once_and_a_stop_a_second_later_does_not_cancel_it(server, number):
    crisis_sid, _ = await server.text(number, "I want to kill myself")
    sent = messages_for(crisis_sid)
    assert sent and all(message.status is OutboxStatus.sent for message in sent)  # not waiting for the worker
    assert all(contact in bodies(crisis_sid) for contact in CONTACTS)
    await server.text(number, "STOP")
    assert all(message.status is OutboxStatus.sent for message in messages_for(crisis_sid))


async def test_a_crisis_reply_still_queued_when_stop_arrives_is_not_cancelled(server, number, monkeypatch):
    monkeypatch.setattr("bot.channels.sms.deliver_now", lambda keys: None)  # as if sending failed
    crisis_sid, _ = await server.text(number, "I want to end my life")
    await server.text(number, "stop")
    assert messages_for(crisis_sid) and all(
        message.status is OutboxStatus.pending for message in messages_for(crisis_sid)
    )


async def test_after_stop_help_and_who_can_i_call_still_say_where_help_is(server, number):
    await server.text(number, "STOP")
    help_sid, _ = await server.text(number, "HELP")
    assert bodies(help_sid) == load_sms_content().text("help")
    ask_sid, _ = await server.text(number, "who can I call?")
    assert all(contact in bodies(ask_sid) for contact in CONTACTS)
    assert {message.purpose for message in messages_for(ask_sid)} == {"crisis_reply"}
    quiet_sid, _ = await server.text(number, "hello")
    assert messages_for(quiet_sid) == []  # anything else still waits for START
    with unit_of_work() as session:
        actions = [entry.action for entry in audit.entries_about(session, person_of(number))]
    assert "crisis_help_after_opt_out" in actions


# -- the action server down ----------------------------------------------------------------------


async def test_action_server_down_the_person_is_told_kindly_and_the_text_is_kept(server, number, action_server_down):
    sid, answer = await server.text(number, "hello")
    assert answer.status == 200
    assert bodies(sid) == load_sms_content().text("something_went_wrong")
    assert "999" in bodies(sid) and "116 123" in bodies(sid)
    row = inbound(sid)
    assert row.answered_at is None and row.waiting_text == "hello"


async def test_a_crisis_message_while_the_action_server_is_down_gets_the_contacts(server, number, action_server_down):
    sid, _ = await server.text(number, "I'm going to kill myself tonight")
    assert all(contact in bodies(sid) for contact in CONTACTS)
    assert all(message.status is OutboxStatus.sent for message in messages_for(sid))


async def test_an_answer_given_mid_form_while_down_is_saved_when_the_server_is_back(server, agent, number, monkeypatch):
    await server.text(number, "I want to write down my triggers")
    working = agent.processor.action_endpoint
    refuse_actions(agent, monkeypatch)
    sid, _ = await server.text(number, "loud crowds")
    assert inbound(sid).answered_at is None
    monkeypatch.setattr(agent.processor, "action_endpoint", working)  # the launcher restarted it
    make_kept_texts_due()
    assert await server.channel.answer_waiting() >= 1
    assert inbound(sid).answered_at is not None and inbound(sid).waiting_text is None
    assert "loud crowds" in bodies(sid)
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_of(number))
        assert [item.text for item in wrap.current_items(session, plan)] == ["loud crowds"]
