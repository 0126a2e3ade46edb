"""A message kept for a person who could not be texted ("Sam has read ...") is shown at their
next hello, once."""

from __future__ import annotations

from bot.services.messaging.notices import leave_notice
from bot.services.people.lookup import person_for_address
from bot.store.db import unit_of_work


async def test_a_kept_notice_is_shown_once_at_the_next_hello(conversation):
    await conversation.say("hello")
    await conversation.say("for me")
    with unit_of_work() as session:
        person = person_for_address(session, conversation.channel, conversation.sender_id)
        leave_notice(session, person.id, "acknowledgement", "Sam has read your triggers.")
    assert "Sam has read your triggers." in await conversation.say_text("hello")
    assert "Sam has read your triggers." not in await conversation.say_text("hello")
