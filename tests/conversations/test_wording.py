"""Wording people noticed (issue 22.14), through whole conversations."""

from __future__ import annotations

import uuid

import pytest

from bot.services.sms.content import load_sms_content
from bot.services.sms.turns import BotReply, sms_bodies
from tests.support.in_process import Conversation
from tests.support.plan import plan_position, saved_items

pytestmark = pytest.mark.slow


async def test_the_sms_delete_question_and_all_its_choices_are_one_text(agent):
    person = Conversation(agent, sender_id=f"sms-{uuid.uuid4()}", channel="sms")
    replies = await person.say("delete my data")
    asked = [reply for reply in replies if reply.buttons]
    assert asked and "delete everything I keep about you" in asked[-1].text
    content = load_sms_content()
    bodies, payloads = sms_bodies(
        [BotReply(r.text, tuple((b["title"], b["payload"]) for b in r.buttons)) for r in replies], content
    )
    [text] = [body for body in bodies if "delete everything I keep about you" in body]
    assert len(text) <= 320
    for number, title in enumerate(asked[-1].button_titles, start=len(payloads) - len(asked[-1].buttons) + 1):
        assert f"{number} {title}" in text
    assert content.choices_intro in text


async def test_carrying_on_with_a_half_answered_question_says_what_is_saved_so_far(conversation, agent):
    from rasa.shared.core.events import SessionStarted

    from bot.services.wrap.content import load_wrap_content

    await conversation.say("I want to write down my triggers")
    await conversation.say("crowds, payday")
    await conversation.say("later")
    tracker = await conversation.tracker()
    tracker.update(SessionStarted())
    await agent.tracker_store.save(tracker)
    text = await conversation.say_text("carry on with my plan")
    assert load_wrap_content().question("triggers").prompt in text
    assert "So far you have saved: crowds and payday." in text


async def test_going_back_to_an_answered_question_says_what_is_saved(conversation):
    from bot.services.wrap.content import load_wrap_content

    await conversation.say("I want to write down my triggers")
    await conversation.say("crowds")
    await conversation.say("that's all")
    text = await conversation.say_text("go back")
    assert load_wrap_content().question("triggers").prompt in text
    assert "So far you have saved: crowds." in text
    assert "So far you have saved" not in await conversation.say_text("that's all")


async def test_the_daily_plan_offers_what_the_crisis_plan_already_holds(conversation):
    await conversation.say("I want to do my crisis plan")
    await conversation.say("calm, funny")
    await conversation.say("later")
    text = await conversation.say_text("my daily plan")
    assert "calm and funny" in text and "still right" in text
    await conversation.say("yes")
    assert saved_items(conversation, "when_well") == ["calm", "funny"]
    assert plan_position(conversation) == "daily_must_do"
