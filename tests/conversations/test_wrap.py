"""Building a WRAP by conversation: saved as you go, resumable, reviewable, exportable."""

from __future__ import annotations

import re
import uuid

import pytest

from bot.services.people.lookup import person_for_address
from bot.services.wrap import plan as wrap
from bot.services.wrap.content import load_wrap_content
from bot.store.db import unit_of_work
from tests.support.in_process import Conversation
from tests.support.plan import plan_position, saved_items

pytestmark = pytest.mark.slow


def prompt_of(question_id: str) -> str:
    return load_wrap_content().question(question_id).prompt


async def test_going_straight_to_triggers_and_saving_a_list_as_it_is_given(conversation):
    text = await conversation.say_text("I want to write down my triggers")
    assert prompt_of("triggers") in text
    reply = await conversation.say_text("crowds, arguments and payday")
    assert saved_items(conversation, "triggers") == ["crowds", "arguments", "payday"]  # saved before "that's all"
    assert "crowds, arguments and payday" in reply
    await conversation.say("loud music")
    assert saved_items(conversation, "triggers") == ["crowds", "arguments", "payday", "loud music"]
    text = await conversation.say_text("that's all")
    assert prompt_of("trigger_must_do") in text


async def test_a_whole_section_then_the_offer_of_the_next(conversation):
    await conversation.say("I want to make my wellness plan")
    await conversation.say("a walk, a bath, ringing my sister")
    text = await conversation.say_text("that's all")
    assert load_wrap_content().section("wellness_toolbox").title in text
    assert "start it now" in text
    assert saved_items(conversation, section_id="wellness_toolbox") == ["a walk", "a bath", "ringing my sister"]
    text = await conversation.say_text("yes")
    assert prompt_of("when_well") in text


async def test_stop_in_the_middle_and_carry_on_in_a_new_session(conversation, agent):
    from rasa.shared.core.events import SessionStarted

    await conversation.say("let's do my early warning signs")
    await conversation.say("I stop sleeping, I stop answering the phone")
    assert saved_items(conversation, "warning_signs") == ["I stop sleeping", "I stop answering the phone"]
    text = await conversation.say_text("later")
    assert "saved" in text
    tracker = await conversation.tracker()
    tracker.update(SessionStarted())
    await agent.tracker_store.save(tracker)

    text = await conversation.say_text("carry on with my plan")
    assert prompt_of("warning_signs") in text or "Anything else" in text
    await conversation.say("not eating")
    assert saved_items(conversation, "warning_signs")[-1] == "not eating"


async def test_skip_back_and_undo(conversation):
    await conversation.say("I want to do my triggers")
    await conversation.say("crowds")
    await conversation.say("undo")
    assert saved_items(conversation, "triggers") == []
    await conversation.say("skip")
    assert plan_position(conversation) == "trigger_must_do"
    text = await conversation.say_text("go back")
    assert prompt_of("triggers") in text
    assert plan_position(conversation) == "triggers"


async def test_a_question_mid_section_is_answered_and_nothing_is_saved(conversation):
    await conversation.say("my triggers")
    text = await conversation.say_text("what is a trigger?")
    assert load_wrap_content().section("triggers").explanation in text
    assert saved_items(conversation, "triggers") == []


async def test_answers_it_cannot_use_get_an_explanation_and_an_offer_to_move_on(conversation):
    await conversation.say("my triggers")
    first = await conversation.say_text("...")
    second = await conversation.say_text("!!!")
    assert first and second and first != second
    assert "skip" in second.lower()
    assert saved_items(conversation, "triggers") == []


async def test_show_my_plan_and_show_one_part(conversation):
    await conversation.say("my triggers")
    await conversation.say("crowds, payday")
    await conversation.say("that's all")
    await conversation.say("stop")
    text = await conversation.say_text("show my triggers")
    assert "crowds" in text and "payday" in text
    text = await conversation.say_text("show my plan")
    assert "crowds" in text


async def test_sms_pages_are_short_and_more_gives_the_rest(agent):
    sms = Conversation(agent, sender_id=f"sms-{uuid.uuid4()}", channel="sms")
    await sms.say("I want to make my wellness plan")
    await sms.say(", ".join(f"thing number {n} that helps me feel better" for n in range(12)))
    await sms.say("that's all")
    await sms.say("done")  # by SMS, "stop" would opt the number out of every text
    replies = await sms.say("show my plan")
    assert all(len(reply.text) <= 320 for reply in replies)
    assert any("MORE" in reply.text for reply in replies)
    more = await sms.say_text("more")
    assert "thing number" in more


async def test_export_gives_a_short_lived_link_to_this_persons_plan(conversation):
    """The page itself is fetched over HTTP from the real server in tests/test_make_run.py."""
    from datetime import datetime, timezone

    from bot.services.wrap.export_links import person_for_export_token

    await conversation.say("my triggers")
    await conversation.say("crowds")
    await conversation.say("stop")
    text = await conversation.say_text("download my plan")
    match = re.search(r"/webhooks/plan/export/([A-Za-z0-9_.-]+)", text)
    assert match, text
    with unit_of_work() as session:
        person = person_for_address(session, conversation.channel, conversation.sender_id)
        assert person_for_export_token(match.group(1), datetime.now(timezone.utc)) == person.id


async def test_export_with_an_empty_plan_says_so(conversation):
    text = await conversation.say_text("download my plan")
    assert "/webhooks/plan/export/" not in text and text.strip()


async def test_remove_and_change_an_item_after_a_yes_keeping_history(conversation):
    await conversation.say("I want to write down my triggers")
    await conversation.say("crowds, payday, loud music")
    await conversation.say("stop")

    text = await conversation.say_text("remove payday from my triggers")
    assert '"payday"' in text and "yes or no" in text.lower()
    assert "payday" in saved_items(conversation, "triggers")  # nothing happens before the yes
    await conversation.say("yes")
    assert saved_items(conversation, "triggers") == ["crowds", "loud music"]

    await conversation.say("change crowds to busy places")
    await conversation.say("no")
    assert saved_items(conversation, "triggers") == ["crowds", "loud music"]
    await conversation.say("change crowds to busy places")
    await conversation.say("yes")
    assert saved_items(conversation, "triggers") == ["busy places", "loud music"]

    with unit_of_work() as session:
        person = person_for_address(session, conversation.channel, conversation.sender_id)
        history = [item.text for item in wrap.history(session, wrap.plan_for(session, person.id))]
    assert {"payday", "crowds", "busy places"} <= set(history)


async def test_removing_something_that_is_not_there_says_so(conversation):
    text = await conversation.say_text("remove unicorns from my plan")
    assert "could not find" in text


@pytest.mark.parametrize("channel", ["sms", "rest"])
@pytest.mark.parametrize("section_id", [section.id for section in load_wrap_content().sections])
async def test_every_section_can_be_completed_by_plain_text(agent, channel, section_id):
    """Open the section by name, answer every question, finish it: each answer saved as given."""
    content = load_wrap_content()
    section = content.section(section_id)
    person = Conversation(agent, sender_id=f"{channel}-{uuid.uuid4()}", channel=channel)
    replies = await person.say(f"I want to do my {section.keywords[0]}")
    for number, question in enumerate(section.questions):
        assert question.prompt in "\n".join(r.text for r in replies), question.id
        replies = await person.say(
            f"answer {number} one, answer {number} two" if question.is_list else f"answer {number}"
        )
        assert saved_items(person, question.id), question.id  # saved the moment it was given
        if question.is_list:
            replies += await person.say("that's all")
    text = "\n".join(r.text for r in replies)
    assert content.text("section_done", section=section.title) in text
    if channel == "sms":
        assert all(len(reply.text) <= 320 for reply in replies)
    following = content.next_section_after(section_id)
    if following:
        assert any(reply.button_titles for reply in replies)  # the web shows buttons; SMS numbers them (channel)


async def test_crisis_plan_part_one_offers_what_they_said_before(conversation):
    await conversation.say("my daily plan")
    await conversation.say("chatty, up early")
    await conversation.say("that's all")
    await conversation.say("stop")
    text = await conversation.say_text("I want to do my crisis plan")
    assert "chatty and up early" in text and "still right" in text
    await conversation.say("yes")
    assert saved_items(conversation, "crisis_when_well") == ["chatty", "up early"]
    assert plan_position(conversation) == "takeover_signs"


async def test_crisis_plan_part_one_can_be_answered_afresh(conversation):
    await conversation.say("my daily plan")
    await conversation.say("chatty")
    await conversation.say("stop")
    await conversation.say("I want to do my crisis plan")
    await conversation.say("calm, funny")
    assert saved_items(conversation, "crisis_when_well") == ["calm", "funny"]


@pytest.mark.parametrize("new_words", ["take my tablets", "take my medication", "ask about my meds"])
async def test_changing_an_item_to_words_about_medication_works(conversation, new_words):
    """Issue 22.5: new words that mention medication are the new words, not a question about it."""
    await conversation.say("hello")
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_for_address(session, conversation.channel, conversation.sender_id).id)
        wrap.save_answer(session, plan, "toolbox", "ring my sister", "rest")
    text = await conversation.say_text(f"change ring my sister to {new_words}")
    assert '"ring my sister"' in text and new_words in text and "yes or no" in text.lower()
    await conversation.say("yes")
    assert saved_items(conversation, "toolbox") == [new_words]
