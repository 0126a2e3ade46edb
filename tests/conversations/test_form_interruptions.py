"""Said in the middle of a question, never saved as the answer (issue 21.11): a request is done
and a remark acknowledged, then the same question comes back; the next real answer is saved.
Whole conversations with the trained model; content/form_interruptions.yml is the list."""

from __future__ import annotations

import pytest

from bot.services.people.lookup import person_for_address
from bot.services.recovery import goals
from bot.services.wrap.content import load_wrap_content
from bot.store.db import unit_of_work
from tests.support.plan import saved_items

pytestmark = pytest.mark.slow

TRIGGERS_PROMPT = load_wrap_content().question("triggers").prompt
GOAL_PROMPT = "What would you like to work towards?"


def goal_texts(conversation) -> list[str]:
    with unit_of_work() as session:
        person = person_for_address(session, conversation.channel, conversation.sender_id)
        return [goal.text for goal in goals.active_goals(session, person.id)]


async def test_show_my_triggers_typed_as_the_triggers_answer_shows_them_and_saves_nothing(conversation):
    await conversation.say("I want to write down my triggers")
    await conversation.say("crowds")
    text = await conversation.say_text("show my triggers")
    assert "crowds" in text  # the plan was shown
    assert saved_items(conversation, "triggers") == ["crowds"]  # "show my triggers" is not a trigger
    await conversation.say("loud music")
    assert saved_items(conversation, "triggers") == ["crowds", "loud music"]  # still in the question


async def test_the_crisis_numbers_asked_for_inside_a_goal_then_the_goal_question_again(conversation):
    await conversation.say("I want to set a goal")
    text = await conversation.say_text("crisis numbers")
    assert "116 123" in text and "999" in text
    assert GOAL_PROMPT in text  # and the question is asked again
    assert goal_texts(conversation) == []
    await conversation.say("get back to swimming")
    assert goal_texts(conversation) == ["get back to swimming"]


@pytest.mark.parametrize(
    ("remark", "acknowledged"), [("thank you", "You're welcome."), ("are you a bot?", "computer program")]
)
async def test_a_remark_in_the_triggers_question_is_acknowledged_and_the_question_comes_back(
    conversation, remark, acknowledged
):
    await conversation.say("I want to write down my triggers")
    text = await conversation.say_text(remark)
    assert acknowledged in text
    assert TRIGGERS_PROMPT in text
    assert saved_items(conversation, "triggers") == []
