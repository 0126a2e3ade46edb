"""Possible risk by SMS, over real HTTP with Twilio signatures and the trained agent: the contacts
and "Are you safe right now?" leave at once as a crisis reply; "yes" carries on (fresh and in a
plan question); "no" gets the full crisis reply; after STOP the full crisis reply comes without
a question nobody would read the answer to; the action server down changes none of it."""

from __future__ import annotations

import itertools

import pytest

from bot.services.sms.inbound import sender_id_for
from tests.conversations.test_possible_risk import ASKS, FULL_CRISIS, POSSIBLE
from tests.support.plan import saved_items
from tests.support.sms import SmsServer, bodies, messages_for, refuse_actions

pytestmark = pytest.mark.slow

_numbers = itertools.count(1)
CONTACTS = ("999", "116 123", "85258")


@pytest.fixture
def number(migrated_database) -> str:
    return f"+4477009{60000 + next(_numbers):05d}"


@pytest.fixture
async def server(agent):
    async with SmsServer(agent) as running:
        yield running


def has_contacts(text: str) -> bool:
    return all(contact in text for contact in CONTACTS)


class Texter:
    """What the plan helpers read of a conversation: by SMS its id is the number's keyed hash."""

    channel = "sms"

    def __init__(self, number: str) -> None:
        self.sender_id = sender_id_for(number)


async def test_possible_risk_then_yes_carries_on(server, number):
    sid, _ = await server.text(number, POSSIBLE)
    assert has_contacts(bodies(sid)) and ASKS in bodies(sid) and FULL_CRISIS not in bodies(sid)
    assert {message.purpose for message in messages_for(sid)} == {"crisis_reply"}  # never cancelled, sent at once
    sid, _ = await server.text(number, "yeah im ok")
    assert "glad you're safe" in bodies(sid) and not has_contacts(bodies(sid))


async def test_possible_risk_in_a_plan_question_then_yes_asks_the_question_again(server, number):
    await server.text(number, "I want to write down my triggers")
    await server.text(number, "crowds")
    await server.text(number, POSSIBLE)
    sid, _ = await server.text(number, "yes")
    assert "glad you're safe" in bodies(sid) and "Anything else" in bodies(sid)
    await server.text(number, "payday")
    assert saved_items(Texter(number)) == ["crowds", "payday"]


async def test_possible_risk_then_no_gets_the_full_crisis_reply(server, number):
    await server.text(number, POSSIBLE)
    sid, _ = await server.text(number, "no")
    assert has_contacts(bodies(sid)) and FULL_CRISIS in bodies(sid)
    assert {message.purpose for message in messages_for(sid)} == {"crisis_reply"}


async def test_after_stop_possible_risk_gets_the_full_crisis_reply_without_a_question(server, number):
    await server.text(number, "STOP")
    sid, _ = await server.text(number, POSSIBLE)
    assert has_contacts(bodies(sid)) and FULL_CRISIS in bodies(sid) and ASKS not in bodies(sid)


async def test_possible_risk_while_the_action_server_is_down_still_gets_the_contacts_and_the_question(
    server, agent, number, monkeypatch
):
    refuse_actions(agent, monkeypatch)
    sid, _ = await server.text(number, POSSIBLE)
    assert has_contacts(bodies(sid)) and ASKS in bodies(sid)
    sid, _ = await server.text(number, "no")
    assert has_contacts(bodies(sid)) and FULL_CRISIS in bodies(sid)
