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
    path = Path(get_settings().database_url[len("sqlite:///") :])
    return b"".join(candidate.read_bytes() for candidate in (path, Path(f"{path}-wal")) if candidate.exists())


async def test_words_said_are_not_in_the_events_table(conversation):
    marker = f"zebracrossing{uuid.uuid4().hex[:8]}"
    await conversation.say("hello")
    await conversation.say("I want to make a wellness plan")
    await conversation.say(f"walking past the {marker} helps me")
    with get_engine().connect() as connection:
        rows = (
            connection.execute(
                text("SELECT data FROM events WHERE sender_id = :sender"), {"sender": conversation.sender_id}
            )
            .scalars()
            .all()
        )
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
            {
                "sender": conversation.sender_id,
                "data": '{"event": "slot", "timestamp": 9999999999, "name": "role", "value": "carer"}',
            },
        )
    assert await conversation.slot("role") == "carer"


async def test_a_plan_answer_is_nowhere_in_the_database_files(conversation):
    marker = f"kestrelwatching{uuid.uuid4().hex[:8]}"
    await conversation.say("hello")
    await conversation.say("I want to make a wellness plan")
    await conversation.say(f"watching birds in the park, {marker}")
    assert any(marker in text for text in saved_items(conversation)), "the answer was saved"
    assert marker.encode() not in database_bytes()


async def test_a_carers_message_is_nowhere_in_the_database_files(agent):
    """A carer's words for the care team are encrypted like a plan answer (and the name the
    person gave them, and the code, are not kept in clear either)."""
    from datetime import datetime, timezone

    from bot.services.carers import carers
    from bot.store.db import unit_of_work
    from tests.support.coordinators import make_person
    from tests.support.in_process import Conversation
    from tests.support.privacy import everything_stored

    marker = f"nightjarcalling{uuid.uuid4().hex[:8]}"
    person_id = make_person()
    with unit_of_work() as session:
        made = carers.make_code(session, person_id, "grandad", datetime.now(timezone.utc))
    carer = Conversation(agent, sender_id=f"carer-{uuid.uuid4()}", channel="sms")
    await carer.say("I'm a carer")
    assert "now linked" in await carer.say_text(f"my code is {made.code}")
    assert "Thank you" in await carer.say_text(f"he keeps {marker} and has stopped his tablets")
    assert marker in everything_stored(), "the message was saved"
    stored = database_bytes()
    assert marker.encode() not in stored
    assert made.code.encode() not in stored and made.code.replace("-", "").encode() not in stored
    assert b"grandad" not in stored
