"""Possible risk, context and questions about crisis help, through the whole agent (issue 17.1d,
1e, 2): the contacts and "Are you safe right now?"; "yes" carries on where the person was, fresh,
in a WRAP question and in a carer's message; anything else gets the full crisis reply; the last
few messages raise the risk; a goodbye after low mood is gentle; questions are not alarms."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from bot.store.carer_models import CarerMessage
from bot.store.db import unit_of_work
from tests.conversations.test_carers import linked_on_sams_caseload
from tests.support.in_process import Conversation
from tests.support.plan import saved_items

pytestmark = pytest.mark.slow

CONTACTS = ["999", "NHS 111", "116 123", "85258"]
POSSIBLE = "I feel completely hopeless"  # a `level: possible` pattern (content/crisis_patterns.yml)
ASKS = "Are you safe right now?"
FULL_CRISIS = "Please contact someone now"
CHEERFUL_GOODBYE = "Goodbye for now"


def has_contacts(text: str) -> bool:
    return all(contact in text for contact in CONTACTS)


async def test_possible_risk_gets_the_contacts_and_the_question_in_one_reply(conversation):
    replies = await conversation.say(POSSIBLE)
    assert len(replies) == 1 and has_contacts(replies[0].text) and ASKS in replies[0].text
    assert FULL_CRISIS not in replies[0].text


async def test_words_no_pattern_knows_get_the_possible_risk_reply_from_the_learned_layer(conversation):
    """No pattern matches this; the risk classifier (config.yml risk_classifier) raises it."""
    text = "i keep thinking everyone would cope fine if i wasnt here"
    assert ASKS in await conversation.say_text(text)


@pytest.mark.parametrize("answer", ["yes", "yeah im ok", "i'm safe"])
async def test_yes_is_thanked_and_the_conversation_carries_on(conversation, answer):
    await conversation.say("hello")
    await conversation.say(POSSIBLE)
    thanks = await conversation.say_text(answer)
    assert "glad you're safe" in thanks and not has_contacts(thanks) and "menu" not in thanks.lower()
    assert "What would you like to do" in await conversation.say_text("menu")


async def test_yes_in_the_middle_of_a_plan_question_brings_the_question_back_and_saves_nothing(conversation):
    await conversation.say("I want to write down my triggers")
    await conversation.say("crowds")
    asked = await conversation.say_text(POSSIBLE)
    assert has_contacts(asked) and ASKS in asked
    again = await conversation.say_text("yeah im ok")
    assert "glad you're safe" in again and "Anything else" in again  # the plan question, again
    assert saved_items(conversation) == ["crowds"]
    assert (await conversation.tracker()).active_loop_name == "wrap_form"
    await conversation.say("payday")
    assert saved_items(conversation) == ["crowds", "payday"]


async def test_no_gets_the_full_crisis_reply_and_pauses_the_plan(conversation):
    await conversation.say("I want to write down my triggers")
    await conversation.say("crowds")
    await conversation.say(POSSIBLE)
    crisis = await conversation.say_text("no")
    assert has_contacts(crisis) and FULL_CRISIS in crisis and "carry on with my plan" in crisis
    assert saved_items(conversation) == ["crowds"]
    assert (await conversation.tracker()).active_loop_name is None


@pytest.mark.parametrize("answer", ["not sure", "i don't know", "yes but i keep thinking about it", "I want to die"])
async def test_an_answer_that_does_not_reassure_gets_the_full_crisis_reply(conversation, answer):
    await conversation.say(POSSIBLE)
    crisis = await conversation.say_text(answer)
    assert has_contacts(crisis) and FULL_CRISIS in crisis


async def test_more_risk_language_as_the_answer_gets_the_full_crisis_reply(conversation):
    await conversation.say(POSSIBLE)
    assert FULL_CRISIS in await conversation.say_text("I just can't cope anymore")


async def test_a_carer_is_asked_about_the_person_and_yes_brings_their_message_question_back(agent):
    person = Conversation(agent, sender_id=f"person-{uuid.uuid4()}")
    carer = Conversation(agent, sender_id=f"carer-{uuid.uuid4()}")
    person_id, _ = await linked_on_sams_caseload(person, carer, notify="email")
    assert "What would you like the care team to know?" in await carer.say_text(
        "I want to leave a message for the care team"
    )
    asked = await carer.say_text("my son says he feels completely hopeless")
    assert has_contacts(asked) and "Are they safe right now?" in asked
    again = await carer.say_text("yes")
    assert "glad they're safe" in again and "What would you like the care team to know?" in again
    with unit_of_work() as session:  # neither the worry nor the "yes" was sent as the message
        assert session.execute(select(CarerMessage).where(CarerMessage.about_person_id == person_id)).first() is None


async def test_a_message_that_completes_risk_said_just_before_gets_the_crisis_reply(conversation):
    await conversation.say("I want to")
    assert FULL_CRISIS in await conversation.say_text("die")


async def test_after_crisis_language_a_goodbye_gets_the_crisis_reply_again_not_a_cheerful_goodbye(conversation):
    await conversation.say("I want to die")
    reply = await conversation.say_text("bye")
    assert has_contacts(reply) and CHEERFUL_GOODBYE not in reply


async def test_a_goodbye_after_low_mood_is_gentle_with_the_contacts_one_word_away(conversation):
    await conversation.say("hello")
    await conversation.say("really low today, been crying all morning")
    reply = await conversation.say_text("bye")
    assert CHEERFUL_GOODBYE not in reply and "Take care of yourself" in reply and 'say "crisis"' in reply


async def test_inside_a_plan_question_after_low_mood_an_answer_like_a_goodbye_is_saved(conversation):
    await conversation.say("really low today, been crying all morning")
    await conversation.say("I want to write down my triggers")
    reply = await conversation.say_text("fireworks night")
    assert "Take care of yourself" not in reply
    assert saved_items(conversation) == ["fireworks night"]


async def test_a_goodbye_after_saying_they_are_safe_is_gentle(conversation):
    await conversation.say(POSSIBLE)
    await conversation.say("yes")
    reply = await conversation.say_text("bye")
    assert "Take care of yourself" in reply and ASKS not in reply


async def test_an_ordinary_goodbye_is_still_cheerful(conversation):
    await conversation.say("hello")
    assert CHEERFUL_GOODBYE in await conversation.say_text("bye")


async def test_a_crisis_plan_question_goes_to_the_crisis_plan_section_not_the_alarm(conversation):
    reply = await conversation.say_text("what should go in a crisis plan?")
    assert "Your crisis plan is for the people who support you" in reply
    assert FULL_CRISIS not in reply and ASKS not in reply


@pytest.mark.parametrize("question", ["what's the crisis line number?", "who do I call in a crisis"])
async def test_a_crisis_line_question_gets_the_contacts_plainly(conversation, question):
    reply = await conversation.say_text(question)
    assert has_contacts(reply) and "Here are people you can contact" in reply
    assert FULL_CRISIS not in reply and ASKS not in reply


async def test_possible_risk_gets_the_contacts_when_the_action_server_and_database_are_down(
    trained_model, migrated_database
):
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig
    from sqlalchemy import create_engine

    from bot.store.tracker_store import AlongsideTrackerStore

    tracker_store = AlongsideTrackerStore()
    tracker_store.engine.dispose()
    tracker_store.engine = create_engine("sqlite:////nonexistent-folder/alongside.db")
    agent = Agent.load(
        str(trained_model),
        action_endpoint=EndpointConfig(url="http://127.0.0.1:9/webhook"),
        tracker_store=tracker_store,
    )
    person = Conversation(agent, sender_id=f"down-{uuid.uuid4()}")
    replies = await person.say(POSSIBLE)
    assert len(replies) == 1 and has_contacts(replies[0].text) and ASKS in replies[0].text  # not the apology
    assert FULL_CRISIS in await person.say_text("no")
