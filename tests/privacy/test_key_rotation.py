"""Key rotation: after `keys rotate`, the old key can be removed and everything still reads.
Runs on a database of its own, so the rest of the suite never meets the rotated key."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.security import encryption
from bot.services.messaging import outbox
from bot.services.privacy.key_rotation import rotate_all
from bot.settings import get_settings
from bot.store.db import make_engine
from bot.store.migrate import upgrade_to_head
from bot.store.models import Person
from bot.store.outbox_models import OutboxMessage
from bot.store.tracker_store import AlongsideTrackerStore


@pytest.fixture
def use_keys(monkeypatch):
    def use(*keys: str) -> None:
        monkeypatch.setenv("ENCRYPTION_KEYS", ",".join(keys))
        get_settings.cache_clear()
        encryption.forget_keys()

    yield use
    monkeypatch.delenv("ENCRYPTION_KEYS", raising=False)
    get_settings.cache_clear()
    encryption.forget_keys()


@pytest.fixture
def own_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'rotate.db'}"
    upgrade_to_head(url)
    AlongsideTrackerStore(database_url=url).engine.dispose()  # Rasa's events table
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_rotation_moves_every_table_to_the_new_key(own_database, use_keys):
    with Session(own_database, future=True) as session, session.begin():
        person = Person()
        session.add(person)
        session.flush()
        message_id = outbox.enqueue(
            session,
            channel="sms",
            recipient="+447700900999",
            body="rotate me",
            idempotency_key="rotate",
            purpose="reply",
            person_id=person.id,
        ).id
    with own_database.begin() as connection:
        connection.execute(
            text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('s', 'user', 1, :d)"),
            {"d": '{"event": "user", "text": "plain old row"}'},
        )
    old_key = get_settings().encryption_keys[0]
    new_key = encryption.new_key()
    use_keys(new_key, old_key)
    counts = rotate_all(own_database)
    assert counts["outbox_messages"] == 1 and counts["events"] == 1
    use_keys(new_key)  # the old key is gone
    with Session(own_database, future=True) as session:
        message = session.get(OutboxMessage, message_id)
        assert (message.recipient, message.body) == ("+447700900999", "rotate me")
    with own_database.connect() as connection:
        stored = connection.execute(text("SELECT data FROM events WHERE sender_id = 's'")).scalar_one()
    assert "plain old row" not in stored
    assert encryption.decrypt_text(stored) == '{"event": "user", "text": "plain old row"}'
