"""Encrypted at rest: what a person says (Rasa's history, slot values, their plan) cannot be read
from the database files, yet the conversation carries on as before."""
from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import text

from bot.settings import get_settings
from bot.store.db import get_engine
from tests.support.plan import saved_items


def database_bytes() -> bytes:
    """The SQLite database as it is on disk, write-ahead log included."""
    path = Path(get_settings().database_url[len("sqlite:///"):])
    return b"".join(candidate.read_bytes() for candidate in (path, Path(f"{path}-wal")) if candidate.exists())


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


async def test_a_plan_answer_is_nowhere_in_the_database_files(conversation):
    marker = f"kestrelwatching{uuid.uuid4().hex[:8]}"
    await conversation.say("hello")
    await conversation.say("I want to make a wellness plan")
    await conversation.say(f"{marker} in the park")
    assert any(marker in text for text in saved_items(conversation)), "the answer was saved"
    assert marker.encode() not in database_bytes()
