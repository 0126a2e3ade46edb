"""Information answers show their source (issue 22.12), on the web chat and by SMS, where the
answer and its source go in one text."""

from __future__ import annotations

import uuid

import pytest

from bot.services.information.explanations import piece_for
from bot.services.sms.content import load_sms_content
from bot.services.sms.turns import BotReply, sms_bodies
from tests.support.in_process import Conversation

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("what does a care coordinator do?", "Source: NHS England (england.nhs.uk)"),
        ("what is a WRAP?", "Source: Mary Ellen Copeland (wellnessrecoveryactionplan.com)"),
        ("how do I complain about my care", "Source: NHS (nhs.uk)"),
    ],
)
@pytest.mark.parametrize("channel", ["sms", "webchat"])
async def test_an_answer_ends_with_its_source(agent, channel, question, source):
    person = Conversation(agent, sender_id=f"{channel}-{uuid.uuid4()}", channel=channel)
    replies = await person.say(question)
    assert replies[0].text == piece_for(question).answer and replies[0].text.endswith(f"\n{source}")
    bodies, _ = sms_bodies([BotReply(reply.text) for reply in replies], load_sms_content())
    assert bodies[0] == replies[0].text and len(bodies[0]) <= 320  # one text, its source in it
