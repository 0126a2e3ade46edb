"""A code sent while a question is waiting (to link a phone, join a caseload or link as a
carer) is dealt with by its own action and never saved as the answer; the same question is
asked again and the next real answer is saved. Whole conversations with the trained model."""

from __future__ import annotations

import pytest

from bot.services.carers.carers import carers_content
from bot.services.people.lookup import person_for_address
from bot.services.recovery import bucket, goals
from bot.services.recovery import meaning as recovery
from bot.store.db import unit_of_work

pytestmark = pytest.mark.slow

CODES = {
    "link code": "link K7P2QX",
    "enrolment code": "KMTR-4829",
    "carer code": "4829-7316",
}
# The start of each code's own answer (none of these codes exists, so each is refused kindly).
CODE_REPLIES = {
    "link K7P2QX": "Sorry, that code didn't work.",
    "KMTR-4829": "Sorry, that code did not work.",
    "4829-7316": carers_content().text("link_wrong"),
}


def person_id_of(conversation) -> str:
    with unit_of_work() as session:
        return person_for_address(session, conversation.channel, conversation.sender_id).id


def goal_texts(conversation) -> list[str]:
    with unit_of_work() as session:
        return [goal.text for goal in goals.active_goals(session, person_id_of(conversation))]


def bucket_texts(conversation) -> list[str]:
    with unit_of_work() as session:
        return [text for texts in bucket.texts(session, person_id_of(conversation)).values() for text in texts]


def meaning(conversation) -> str | None:
    with unit_of_work() as session:
        current = recovery.current_meaning(session, person_id_of(conversation))
        return current.text if current else None


@pytest.mark.parametrize("code", list(CODES.values()), ids=list(CODES))
async def test_a_code_in_the_middle_of_a_goal_is_not_the_goal(conversation, code):
    await conversation.say("I want to set a goal")
    text = await conversation.say_text(code)
    assert CODE_REPLIES[code] in text  # the code was read as a code
    assert "What would you like to work towards?" in text  # asked again after the code's reply
    assert goal_texts(conversation) == []
    await conversation.say("get back to swimming")
    assert goal_texts(conversation) == ["get back to swimming"]


@pytest.mark.parametrize("code", list(CODES.values()), ids=list(CODES))
async def test_a_code_in_the_middle_of_the_stress_bucket_is_not_saved(conversation, code):
    await conversation.say("my stress bucket")
    text = await conversation.say_text(code)
    assert CODE_REPLIES[code] in text
    assert bucket.content().step("fills").text in text
    assert bucket_texts(conversation) == []
    await conversation.say("money worries")
    assert bucket_texts(conversation) == ["money worries"]


async def test_a_code_in_the_middle_of_what_recovery_means_is_not_saved(conversation):
    await conversation.say("what recovery means to me")
    await conversation.say(CODES["enrolment code"])
    assert meaning(conversation) is None
    await conversation.say("feeling like myself again")
    assert meaning(conversation) == "feeling like myself again"
