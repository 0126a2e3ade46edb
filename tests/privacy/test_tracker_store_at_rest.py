"""Rasa's conversation history is encrypted at rest: what a person says and every slot value
are unreadable in the database file, yet the conversation carries on as before."""
from __future__ import annotations

import uuid

from sqlalchemy import text

from bot.store.db import get_engine


async def test_words_said_are_not_in_the_events_table(conversation):
    marker = f"zebracrossing{uuid.uuid4().hex[:8]}"
    await conversation.say("hello")
    await conversation.say("I want to make a wellness plan")
    await conversation.say(f"walking past the {marker} helps me")
    with get_engine().connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :sender"), {"sender": conversation.sender_id}
        ).scalars().all()
    assert rows, "the conversation was saved"
    assert not any(marker in row for row in rows)
    assert not any("wellness plan" in row for row in rows)
    tracker = await conversation.tracker()
    assert any(marker in (getattr(event, "text", None) or "") for event in tracker.events)


async def test_history_saved_before_encryption_is_still_read(agent, conversation):
    await conversation.say("hello")
    with get_engine().begin() as connection:
        connection.execute(
            text(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                "VALUES (:sender, 'slot', 9999999999, NULL, NULL, :data)"
            ),
            {"sender": conversation.sender_id, "data": '{"event": "slot", "timestamp": 9999999999, "name": "role", "value": "carer"}'},
        )
    assert await conversation.slot("role") == "carer"
