"""A person's own message for their care coordinator, through the whole agent and the real
actions (issue 18.2): asked for, always confirmed with the words in front of them, sent only on
yes, never when there is nobody to send it to, and offered when Alongside could not understand
them twice so what they typed is not lost."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from bot.services.people.lookup import person_for_address
from bot.store.db import unit_of_work
from bot.store.team_message_models import TeamMessage
from tests.support.coordinators import enrol, make_coordinator
from tests.support.in_process import Conversation

pytestmark = pytest.mark.slow


@pytest.fixture(params=["webchat", "sms"])
def person(agent, request) -> Conversation:
    return Conversation(agent, sender_id=f"{request.param}-{uuid.uuid4()}", channel=request.param)


def person_id_of(conversation: Conversation) -> str:
    with unit_of_work() as session:
        return person_for_address(session, conversation.channel, conversation.sender_id).id


def on_a_caseload(conversation: Conversation, name: str = "Priya") -> str:
    person_id = person_id_of(conversation)
    username, _ = make_coordinator(name)
    enrol(username, person_id)
    return person_id


def sent_by(person_id: str) -> list[str]:
    with unit_of_work() as session:
        rows = session.execute(select(TeamMessage).where(TeamMessage.person_id == person_id)).scalars()
        return [row.text for row in rows]


async def test_asked_for_confirmed_with_the_words_and_sent_on_yes(person):
    await person.say("hi")
    person_id = on_a_caseload(person)
    text = await person.say_text("i want to leave a message for my care coordinator")
    assert "What would you like to tell Priya" in text
    text = await person.say_text("can she ring me about moving my appointment")
    assert "Shall I send this to Priya" in text and '"can she ring me about moving my appointment"' in text
    assert sent_by(person_id) == []
    text = await person.say_text("yes")
    assert "Sent. Priya will see it" in text and "999" in text
    assert sent_by(person_id) == ["can she ring me about moving my appointment"]


async def test_no_sends_nothing(person):
    await person.say("hi")
    person_id = on_a_caseload(person)
    await person.say("can you pass a message to my care team")
    await person.say("tell them i am struggling with the new tablets")
    text = await person.say_text("no")
    assert "I have not sent anything" in text
    assert sent_by(person_id) == []


async def test_with_no_coordinator_it_says_so_and_keeps_nothing(person):
    await person.say("hi")
    person_id = person_id_of(person)
    text = await person.say_text("i want to leave a message for my care team")
    assert "not linked with a care coordinator" in text
    assert sent_by(person_id) == []


async def test_words_not_understood_twice_can_be_sent_to_the_team(person):
    await person.say("hi")
    person_id = on_a_caseload(person)
    await person.say("zxqv plimbo wug")
    replies = await person.say("florp blagh snee")
    text = "\n".join(reply.text for reply in replies)
    assert "didn't understand" in text and "send it to my team" in text
    assert "Send it to my care team" in [title for reply in replies for title in reply.button_titles]
    text = await person.say_text("Send it to my care team")
    assert "Shall I send this to Priya" in text and '"florp blagh snee"' in text
    await person.say("yes")
    assert sent_by(person_id) == ["florp blagh snee"]


async def test_let_down_offers_a_message_to_their_coordinator(person):
    await person.say("hi")
    on_a_caseload(person)
    text = await person.say_text("the team never called me back")
    assert "I can pass a message to Priya" in text and "message my team" in text
    text = await person.say_text("message my team")
    assert "What would you like to tell Priya" in text


async def test_crisis_words_in_the_message_get_the_crisis_reply_and_are_not_sent(person):
    await person.say("hi")
    person_id = on_a_caseload(person)
    await person.say("i want to leave a message for my care coordinator")
    text = await person.say_text("i want to kill myself")
    assert all(contact in text for contact in ("999", "NHS 111", "116 123", "85258"))
    assert sent_by(person_id) == []
