"""The crisis turn through the whole agent: at any moment, inside a form, when things fail."""

from __future__ import annotations

import uuid

import pytest

from tests.support.in_process import Conversation
from tests.support.plan import saved_items

pytestmark = pytest.mark.slow

CONTACTS = ["999", "NHS 111", "116 123", "85258"]


def has_contacts(text: str) -> bool:
    return all(contact in text for contact in CONTACTS)


async def test_crisis_language_at_the_very_start_gets_the_contacts(conversation):
    text = await conversation.say_text("I want to kill myself")
    assert has_contacts(text)
    assert "No one watches this chat all the time" in text


async def test_someone_being_hurt_at_home_gets_999_and_the_domestic_abuse_helpline(conversation):
    reply = await conversation.say_text("my partner hits me and i'm scared to go home")
    assert "999" in reply and "0808 2000 247" in reply and "not your fault" in reply


async def test_a_carer_describing_someone_in_danger_gets_the_carer_wording(conversation):
    text = await conversation.say_text("my son says he wants to die and has locked himself in his room")
    assert has_contacts(text)
    assert "Stay with them" in text
    assert text.index("999") < text.index("116 123")  # 999 first


async def test_a_crisis_in_the_middle_of_triggers_is_not_saved_and_the_plan_resumes(conversation):
    await conversation.say("I want to write down my triggers")
    await conversation.say("crowds, arguments")
    text = await conversation.say_text("I'm going to take all my tablets tonight")
    assert has_contacts(text)
    assert "carry on with my plan" in text
    assert saved_items(conversation) == ["crowds", "arguments"]
    assert (await conversation.tracker()).active_loop_name is None

    # Whatever comes next is not taken as a plan answer either.
    await conversation.say("I just feel awful")
    assert saved_items(conversation) == ["crowds", "arguments"]

    text = await conversation.say_text("carry on with my plan")
    assert "Anything else" in text or "feel worse" in text
    await conversation.say("payday")
    assert saved_items(conversation) == ["crowds", "arguments", "payday"]


async def test_not_what_i_meant_keeps_the_contacts_and_goes_back_to_the_plan(conversation):
    await conversation.say("let's do my early warning signs")
    await conversation.say("I stop sleeping")
    text = await conversation.say_text("honestly I could kill myself")
    assert has_contacts(text)
    text = await conversation.say_text("that's not what I meant")
    assert has_contacts(text) and "Sorry" in text
    assert "safe" not in text.lower().replace("keep these here", "")  # never asked to prove safety
    await conversation.say("I stop answering the phone")
    assert saved_items(conversation) == ["I stop sleeping", "I stop answering the phone"]


async def test_someone_with_a_crisis_plan_is_offered_it(conversation):
    await conversation.say("I want to do my crisis plan")
    await conversation.say("chatty, up early")
    await conversation.say("stop")
    text = await conversation.say_text("I don't want to be alive any more")
    assert has_contacts(text)
    replies = await conversation.say("I want to end it all")
    assert any("Show my crisis plan" in reply.button_titles for reply in replies)


async def test_the_contacts_arrive_when_the_action_server_and_database_are_down(trained_model, migrated_database):
    """The crisis reply must not depend on anything that can fail."""
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    from bot.store.tracker_store import AlongsideTrackerStore

    tracker_store = AlongsideTrackerStore()
    tracker_store.engine.dispose()
    tracker_store.engine = __import__("sqlalchemy").create_engine("sqlite:////nonexistent-folder/alongside.db")
    agent = Agent.load(
        str(trained_model),
        action_endpoint=EndpointConfig(url="http://127.0.0.1:9/webhook"),  # nothing listens on port 9
        tracker_store=tracker_store,
    )
    person = Conversation(agent, sender_id=f"down-{uuid.uuid4()}")
    hello = await person.say_text("hello")  # the greeting needs the action server: a kind reply instead
    assert "something went wrong" in hello and has_contacts(hello)
    assert has_contacts(await person.say_text("I want to kill myself"))
    assert has_contacts(await person.say_text("my wife has taken an overdose"))


async def test_asking_for_crisis_numbers_mid_plan_gives_them_saves_nothing_and_asks_again(conversation):
    await conversation.say("I want to write down my triggers")
    text = await conversation.say_text("who can I call")
    assert has_contacts(text)
    assert "feel worse" in text  # the question again
    assert saved_items(conversation) == []
    await conversation.say("crowds")
    assert saved_items(conversation) == ["crowds"]
