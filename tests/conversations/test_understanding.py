"""Whole conversations through the shared normaliser (bot/language/normalise.py,
bot/nlu/text_normaliser.py): the classifier reads one spelling of each word, and what the
person typed is still what is saved, on web chat and SMS alike."""

from __future__ import annotations

import uuid

import pytest

from bot.services.wrap.content import load_wrap_content
from tests.support.in_process import Conversation
from tests.support.plan import saved_items

pytestmark = pytest.mark.slow


@pytest.fixture(params=["webchat", "sms"])
def person(agent, request) -> Conversation:
    return Conversation(agent, sender_id=f"{request.param}-{uuid.uuid4()}", channel=request.param)


def prompt_of(question_id: str) -> str:
    return load_wrap_content().question(question_id).prompt


async def test_misspelt_text_speak_is_understood(person):
    text = await person.say_text("i wanna do my trigers")
    assert prompt_of("triggers") in text


async def test_an_answer_with_a_typo_is_saved_as_typed(person):
    await person.say("I want to write down my triggers")
    await person.say("crowds, arguements with my mum")
    assert saved_items(person, "triggers") == ["crowds", "arguements with my mum"]
    latest = (await person.tracker()).latest_message
    assert latest.text == "crowds, arguements with my mum"
    assert latest.parse_data["text"] == "crowds, arguements with my mum"  # what actions read


async def test_spaced_out_crisis_words_get_the_crisis_reply(person):
    text = await person.say_text("i want to d i e")
    assert "116 123" in text  # Samaritans, from content/crisis.yml
