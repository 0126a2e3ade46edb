"""The stress bucket as a conversation: three list questions saved as given, left and resumed,
copied into the WRAP only after a yes, shown back, and drawn in the plan export."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.services.people.lookup import person_for_address
from bot.services.recovery import bucket
from bot.services.wrap import plan as wrap
from bot.services.wrap.export import plan_html
from bot.store.db import unit_of_work
from tests.support.plan import saved_items

pytestmark = pytest.mark.slow


def person_id_of(conversation) -> str:
    with unit_of_work() as session:
        return person_for_address(session, conversation.channel, conversation.sender_id).id


def bucket_texts(conversation) -> dict[str, list[str]]:
    person_id = person_id_of(conversation)
    with unit_of_work() as session:
        return bucket.texts(session, person_id)


def question(kind: str) -> str:
    return bucket.content().step(kind).text


async def test_the_bucket_in_three_questions_then_copied_into_the_plan_after_a_yes(conversation):
    text = await conversation.say_text("my stress bucket")
    assert "Stress fills your bucket" in text and question("fills") in text
    text = await conversation.say_text("money worries, poor sleep")
    assert "money worries and poor sleep" in text
    assert bucket_texts(conversation)["fills"] == ["money worries", "poor sleep"]  # saved as given
    text = await conversation.say_text("that's all")
    assert question("overflow") in text
    await conversation.say("I stop sleeping, I snap at people")
    text = await conversation.say_text("that's all")
    assert question("lets_out") in text
    await conversation.say("a walk, music")
    text = await conversation.say_text("that's all")
    assert "saved" in text and "add them to your plan" in text
    assert saved_items(conversation, "warning_signs") == []  # nothing copied before the yes
    text = await conversation.say_text("yes")
    assert "added them to your plan" in text
    assert saved_items(conversation, "warning_signs") == ["I stop sleeping", "I snap at people"]
    assert saved_items(conversation, "toolbox") == ["a walk", "music"]

    text = await conversation.say_text("show my bucket")
    assert "money worries and poor sleep" in text and "What lets water out: a walk and music" in text

    person_id = person_id_of(conversation)
    with unit_of_work() as session:
        items = wrap.current_items(session, wrap.plan_for(session, person_id))
        html = plan_html(items, datetime.now(timezone.utc), bucket=bucket.texts(session, person_id))
    assert 'role="img"' in html and "money worries" in html


async def test_no_to_copying_leaves_the_plan_alone(conversation):
    await conversation.say("do the stress bucket")
    await conversation.say("skip")
    await conversation.say("I stay in bed")
    await conversation.say("that's all")
    await conversation.say("music")
    await conversation.say("that's all")
    text = await conversation.say_text("no")
    assert "left your plan as it is" in text
    assert saved_items(conversation) == []


async def test_leaving_the_bucket_and_carrying_on_where_you_stopped(conversation):
    await conversation.say("my stress bucket")
    await conversation.say("debt")
    await conversation.say("that's all")
    text = await conversation.say_text("later")
    assert "saved" in text
    assert (await conversation.tracker()).active_loop_name is None
    text = await conversation.say_text("carry on with my bucket")
    assert question("overflow") in text
    await conversation.say("I snap")
    assert bucket_texts(conversation) == {"fills": ["debt"], "overflow": ["I snap"], "lets_out": []}


async def test_crisis_language_inside_the_bucket_gets_the_crisis_reply_and_is_not_saved(conversation):
    await conversation.say("my stress bucket")
    text = await conversation.say_text("I want to kill myself")
    assert "999" in text and "116 123" in text
    assert bucket_texts(conversation)["fills"] == []
    text = await conversation.say_text("my stress bucket")
    assert question("fills") in text  # back where they were, nothing lost


async def test_show_an_empty_bucket_says_how_to_start(conversation):
    text = await conversation.say_text("show my bucket")
    assert "my stress bucket" in text
