"""The first conversation: greeting, who it is for, what Alongside can do, never a dead end."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.security.pseudonyms import keyed_hash
from bot.services.people.lookup import IDENTITY_PURPOSE
from bot.store.db import unit_of_work
from bot.store.models import ChannelIdentity, Role

pytestmark = pytest.mark.slow


def stored_role(sender_id: str, channel: str = "rest") -> Role | None:
    with unit_of_work() as session:
        identity = session.execute(
            select(ChannelIdentity).where(
                ChannelIdentity.channel == channel,
                ChannelIdentity.address_hash == keyed_hash(sender_id, IDENTITY_PURPOSE),
            )
        ).scalar_one_or_none()
        return identity.person.role if identity else None


async def test_greeting_says_what_alongside_is_and_asks_who_it_is_for(conversation):
    replies = await conversation.say("hello")
    text = "\n".join(r.text for r in replies)
    assert "Alongside" in text and "computer program" in text
    assert "for yourself, or for someone you support" in text
    assert replies[-1].button_titles == ["For me", "For someone I support"]


async def test_role_is_remembered_in_the_database_and_not_asked_again(conversation):
    await conversation.say("hi")
    text = await conversation.say_text("it's for me")
    assert "here for yourself" in text
    assert await conversation.slot("role") == "service_user"
    assert stored_role(conversation.sender_id) is Role.service_user

    again = await conversation.say_text("hello")
    assert "Hello again" in again
    assert "for yourself, or for someone you support" not in again


async def test_carer_role_is_inferred_from_my_son_and_checked(conversation):
    text = await conversation.say_text("my son has schizophrenia and I don't know what to do")
    assert "someone you support" in text and "it's for me" in text
    assert await conversation.slot("role") == "carer"
    assert stored_role(conversation.sender_id) is Role.carer

    corrected = await conversation.say_text("no, it's for me")
    assert "here for yourself" in corrected
    assert stored_role(conversation.sender_id) is Role.service_user


async def test_what_can_you_do_lists_the_capabilities(conversation):
    text = await conversation.say_text("what can you do?")
    assert "crisis contacts" in text
    assert "wellness and recovery plan" in text


@pytest.mark.parametrize("gibberish", ["asdkjh qwpoei zmxn", "purple monkey dishwasher telescope"])
async def test_gibberish_gets_a_fallback_that_offers_a_way_on(conversation, gibberish):
    text = await conversation.say_text(gibberish)
    assert "didn't understand" in text
    assert "what can you do?" in text and "crisis" in text


async def test_stop_always_works(conversation):
    await conversation.say("hello")
    text = await conversation.say_text("stop")
    assert "stopped" in text and "Nothing you've told me is lost" in text


async def test_a_new_session_after_a_gap_keeps_the_role(conversation, agent):
    from rasa.shared.core.events import SessionStarted

    await conversation.say("hello")
    await conversation.say("for someone I support")
    tracker = await conversation.tracker()
    tracker.update(SessionStarted())  # as if the session had expired
    await agent.tracker_store.save(tracker)

    text = await conversation.say_text("hello")
    assert "Hello again" in text
    assert await conversation.slot("role") == "carer"


async def test_a_person_is_recognised_from_the_database_when_their_history_is_gone(conversation, agent):
    """Conversation history can be removed (retention) while the person's own record stays."""
    from sqlalchemy import text

    await conversation.say("hello")
    await conversation.say("for me")
    from bot.store.db import get_engine

    with get_engine().begin() as connection:  # the tracker store shares our database
        connection.execute(text("DELETE FROM events WHERE sender_id = :sender"), {"sender": conversation.sender_id})

    reply = await conversation.say_text("hello")
    assert "Hello again" in reply
    assert await conversation.slot("role") == "service_user"


async def test_what_is_questions_are_answered_from_content(conversation):
    from bot.services.information.explanations import load_information

    pieces = {piece.id: piece.text for piece in load_information()[0]}
    assert pieces["care_coordination"] in await conversation.say_text("what does a care coordinator do?")
    assert pieces["wrap"] in await conversation.say_text("what is a WRAP?")


@pytest.mark.parametrize("question", ["what can I be told?", "am I allowed to know what medication my son is on"])
async def test_a_carer_asking_what_they_can_be_told_gets_the_honest_general_answer(conversation, question):
    from bot.services.carers.carers import what_a_carer_can_be_told

    await conversation.say("I look after my son")
    text = await conversation.say_text(question)
    assert all(message in text for message in what_a_carer_can_be_told())
    assert "always listen" in text and "carer's assessment" in text
