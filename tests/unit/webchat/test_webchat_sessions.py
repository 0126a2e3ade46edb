"""Web chat conversations: the signed cookie, and what Rasa sees instead of the id."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.services.webchat.sessions import (
    COOKIE_NAME,
    conversation_for_cookie,
    cookie_from_header,
    cookie_value,
    new_conversation_id,
    sender_id_for,
)
from bot.settings import get_settings

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def test_a_cookie_gives_back_its_conversation_until_it_is_too_old():
    conversation = new_conversation_id()
    value = cookie_value(conversation, NOW)
    assert conversation_for_cookie(value, NOW) == conversation
    days = get_settings().webchat_session_days
    assert conversation_for_cookie(value, NOW + timedelta(days=days, minutes=-1)) == conversation
    assert conversation_for_cookie(value, NOW + timedelta(days=days, minutes=1)) is None


def test_conversation_ids_are_random_and_long():
    ids = {new_conversation_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(len(found) == 32 for found in ids)


def test_a_forged_or_altered_cookie_is_refused():
    conversation, other = new_conversation_id(), new_conversation_id()
    value = cookie_value(conversation, NOW)
    version, _, issued, signature = value.split(".")
    refused = [
        f"{version}.{other}.{issued}.{signature}",  # someone else's id, this signature
        f"{version}.{conversation}.{int(issued) + 86400}.{signature}",  # made to last longer
        f"v2.{conversation}.{issued}.{signature}",
        f"{version}.{conversation}.{issued}.{'A' * len(signature)}",
        value + "x",
        value[:-1],
        conversation,
        "",
        None,
        "a.b.c.d",
        "v1.../..",
        cookie_value("not-a-conversation-id!", NOW),
    ]
    assert [conversation_for_cookie(bad, NOW) for bad in refused] == [None] * len(refused)


def test_a_cookie_from_the_future_is_refused():
    value = cookie_value(new_conversation_id(), NOW + timedelta(hours=1))
    assert conversation_for_cookie(value, NOW) is None


def test_the_cookie_is_found_in_a_cookie_header():
    value = cookie_value(new_conversation_id(), NOW)
    assert cookie_from_header(f"other=1; {COOKIE_NAME}={value}; more=2") == value
    assert cookie_from_header("other=1") is None
    assert cookie_from_header("") is None and cookie_from_header(None) is None
    assert cookie_from_header('\x00;;;"=') is None


@pytest.mark.parametrize("conversation", [new_conversation_id() for _ in range(3)])
def test_rasa_sees_a_keyed_hash_not_the_conversation_id(conversation):
    sender = sender_id_for(conversation)
    assert sender == sender_id_for(conversation) and conversation not in sender
    assert len(sender) == 64 and sender != sender_id_for(new_conversation_id())
