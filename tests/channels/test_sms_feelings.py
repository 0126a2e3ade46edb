"""Feelings and the fallback by real SMS (signed webhook, the trained agent, the outbox): replies
fit plain SMS, "did you mean...?" comes as numbered choices and a number picks one, and "stop"
inside a sentence is not the carrier's STOP or ours (issues 18.1-18.3)."""

from __future__ import annotations

import itertools
import uuid

import pytest

from bot.common.sms_text import is_gsm7
from bot.services.feelings.content import load_feelings_content
from tests.channels.test_sms import replies, server  # noqa: F401  (the fixture, shared)
from tests.support.in_process import Conversation

pytestmark = pytest.mark.slow

_numbers = itertools.count(1)
VAGUE = ["thing about the stuff", "feelings sort of medicine bus flat", "the thing with the whatsit", "stuff and that"]


@pytest.fixture
def number(migrated_database) -> str:
    return f"+4477008{30000 + next(_numbers):05d}"


async def test_a_feeling_by_sms_is_heard_in_plain_sms_and_crying_is_not_a_stop(server, number):  # noqa: F811
    sid, _ = await server.text(number, "i cant stop crying")
    text = replies(sid)
    assert load_feelings_content().topics["low_mood"].heard in text
    assert "OK, I've stopped" not in text and is_gsm7(text)
    sid, _ = await server.text(number, "hello")
    assert replies(sid)  # still texting: not opted out


async def test_did_you_mean_comes_numbered_and_a_number_picks_the_guess(server, number):  # noqa: F811
    for message in VAGUE:
        sid, _ = await server.text(number, message)
        if "Did you mean" in replies(sid):
            break
    text = replies(sid)
    assert "Did you mean" in text and "1" in text and "Something else" in text
    sid, _ = await server.text(number, "1")
    assert "Did you mean" not in replies(sid) and "didn't understand" not in replies(sid)


async def test_every_guess_is_understood_as_itself_when_its_words_are_sent(agent):
    """On the web chat a button sends its words: each guess's words must mean its intent."""
    from bot.services.feelings.fallback import load_fallback_content

    wrong = {}
    for intent, title in load_fallback_content().guesses.items():
        parsed = await agent.parse_message(title)
        if parsed["intent"]["name"] != intent:
            wrong[title] = parsed["intent"]["name"]
    assert not wrong
    assert (await agent.parse_message("Something else"))["intent"]["name"] == "out_of_scope"
    conversation = Conversation(agent, sender_id=f"webchat-{uuid.uuid4()}", channel="webchat")
    for message in VAGUE:
        if "Did you mean" in await conversation.say_text(message):
            break
    assert "still didn't understand" in await conversation.say_text("Something else")
