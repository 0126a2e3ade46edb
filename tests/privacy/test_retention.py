"""Conversation history is forgotten after the retention period, never from a conversation
still going on, and never the plan."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from bot.security.encryption import encrypt_text
from bot.services.privacy.retention import forget_old_conversations
from bot.store.db import get_engine

NOW = datetime.now(timezone.utc)  # other tests' history is recent, so never in range


def _event(connection, sender: str, kind: str, when: datetime) -> None:
    data = json.dumps({"event": kind, "timestamp": when.timestamp(), "text": "old words"})
    connection.execute(
        text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, :k, :t, :d)"),
        {"s": sender, "k": kind, "t": when.timestamp(), "d": encrypt_text(data)},
    )


def _count(sender: str) -> int:
    with get_engine().connect() as connection:
        return connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()


def test_old_finished_sessions_go_and_current_ones_stay(agent):  # agent: Rasa's table exists
    finished, ongoing, recent = (f"retention-{name}-{uuid.uuid4()}" for name in ("finished", "ongoing", "recent"))
    with get_engine().begin() as connection:
        # A conversation from a year ago, then a new session last week: the old session goes.
        _event(connection, finished, "session_started", NOW - timedelta(days=365))
        _event(connection, finished, "user", NOW - timedelta(days=364))
        _event(connection, finished, "session_started", NOW - timedelta(days=7))
        _event(connection, finished, "user", NOW - timedelta(days=7))
        # One long session that began a year ago and never restarted: nothing goes.
        _event(connection, ongoing, "session_started", NOW - timedelta(days=365))
        _event(connection, ongoing, "user", NOW - timedelta(days=364))
        # Recent history, inside the period: nothing goes.
        _event(connection, recent, "session_started", NOW - timedelta(days=30))
        _event(connection, recent, "user", NOW - timedelta(days=29))
        _event(connection, recent, "session_started", NOW - timedelta(days=2))
    assert forget_old_conversations(get_engine(), NOW, keep_days=180) == 2
    assert (_count(finished), _count(ongoing), _count(recent)) == (2, 2, 3)
    # Once its first session is older than the period, that session goes too.
    assert forget_old_conversations(get_engine(), NOW + timedelta(days=152), keep_days=180) == 2
    assert _count(recent) == 1
