"""By SMS, "done" leaves a flow; no reply ever suggests STOP (issue 22, item 1).

A text that is only STOP, END, CANCEL or QUIT opts the number out at Twilio: nothing more is
delivered until START. So every flow that once said "stop" now says "done", and these whole
conversations on the sms channel show that "done" ends the care coordination tour, a WRAP
form with nothing lost (a carer's message: tests/conversations/test_carers.py), and that the person can go on afterwards.
"""

from __future__ import annotations

import uuid

import pytest
from rasa.shared.core.events import SessionStarted

from bot.services.information import tour
from bot.services.wrap.content import load_wrap_content
from tests.support.in_process import Conversation
from tests.support.plan import plan_position, saved_items
from tests.unit.sms.test_sms_carrier_keywords import suggested_keywords

pytestmark = pytest.mark.slow


@pytest.fixture
def sms(agent) -> Conversation:
    return Conversation(agent, sender_id=f"sms-{uuid.uuid4()}", channel="sms")


def no_trap(replies) -> None:
    """Every text sent suggests no opt-out word and fits one SMS."""
    for reply in replies:
        assert not suggested_keywords(reply.text), reply.text
        assert len(reply.text) <= 320, reply.text


def prompt_of(question_id: str) -> str:
    return load_wrap_content().question(question_id).prompt


async def active_loop(conversation: Conversation) -> str | None:
    return (await conversation.tracker()).active_loop_name


async def new_session(conversation: Conversation, agent) -> None:
    tracker = await conversation.tracker()
    tracker.update(SessionStarted())
    await agent.tracker_store.save(tracker)


# -- the care coordination tour --------------------------------------------------------------------


async def test_by_sms_the_tour_says_done_and_done_ends_it_and_the_person_can_go_on(sms):
    steps = tour.content().steps
    replies = await sms.say("tell me about care coordination")
    text = "\n".join(reply.text for reply in replies)
    assert steps[0].text in text and '"done"' in text and '"stop"' not in text
    second = await sms.say("next")
    replies += second
    assert steps[1].text in "\n".join(reply.text for reply in second)
    ended = await sms.say("done")
    replies += ended
    ended_text = "\n".join(reply.text for reply in ended)
    assert "stopped" in ended_text.lower() and "lost" in ended_text.lower()
    assert not any(step.text in ended_text for step in steps)  # the tour did not go on
    after = await sms.say("menu")  # not stranded, as after STOP: the menu comes back
    assert after and any(reply.buttons for reply in after)
    no_trap(replies + after)


@pytest.mark.parametrize("word", ["done", "Done.", "I'm done", "all done"])
async def test_each_way_of_saying_done_ends_the_tour(sms, word):
    await sms.say("tell me about care coordination")
    text = await sms.say_text(word)
    assert "stopped" in text.lower()
    assert tour.content().steps[1].text not in text


# -- a WRAP form -------------------------------------------------------------------------------------


async def test_by_sms_done_in_a_plan_question_ends_the_form_keeping_every_answer(sms, agent):
    replies = await sms.say("I want to write down my triggers")
    assert prompt_of("triggers") in "\n".join(reply.text for reply in replies)
    replies += await sms.say("crowds, payday")
    assert saved_items(sms, "triggers") == ["crowds", "payday"]
    ended = await sms.say("done")
    replies += ended
    assert "stopped" in "\n".join(reply.text for reply in ended).lower()
    assert await active_loop(sms) is None  # the form has ended: the next text is not an answer
    assert saved_items(sms, "triggers") == ["crowds", "payday"]  # nothing lost
    assert plan_position(sms) == "triggers"

    reply = await sms.say_text("hello")
    assert saved_items(sms, "triggers") == ["crowds", "payday"]  # "hello" was not saved as a trigger
    assert reply

    await new_session(sms, agent)
    resumed = await sms.say("carry on with my plan")
    replies += resumed
    assert prompt_of("triggers") in "\n".join(reply.text for reply in resumed) or "Anything else" in resumed[-1].text
    await sms.say("loud music")
    assert saved_items(sms, "triggers") == ["crowds", "payday", "loud music"]
    no_trap(replies)


async def test_by_sms_done_at_the_next_question_keeps_the_finished_list_and_resumes_there(sms):
    await sms.say("I want to write down my triggers")
    await sms.say("crowds, payday")
    text = await sms.say_text("that's all")
    assert prompt_of("trigger_must_do") in text
    text = await sms.say_text("done")
    assert "stopped" in text.lower()
    assert await active_loop(sms) is None
    assert saved_items(sms, "triggers") == ["crowds", "payday"]
    assert plan_position(sms) == "trigger_must_do"
    text = await sms.say_text("carry on with my plan")
    assert prompt_of("trigger_must_do") in text or "carry on" in text.lower()
