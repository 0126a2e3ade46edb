"""What every action reads from the turn, and how it replies: one copy for all of them.

Rasa-facing and thin: the channel the message came in on, its words, the intent NLU gave it,
how long a page of a list may be on that channel, and a reply from a content file. Not actions
(rasa-sdk registers only Action subclasses).
"""

from __future__ import annotations

from typing import Any, Protocol

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.services.people.code_tries import SOURCE_METADATA_KEY

DEFAULT_CHANNEL = "rest"
# A page of a long list: two SMS segments on SMS, a screenful on the web chat.
SMS_PAGE_CHARS, WEB_PAGE_CHARS = 320, 1200


class Texts(Protocol):
    """Any content file's texts: wrap, consent, carers, guided conversations..."""

    def text(self, text_id: str, **values: Any) -> str: ...


def channel(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or DEFAULT_CHANNEL


def message_source(tracker: Tracker) -> str | None:
    """The keyed hash of where the latest message came from (web chat sets it; SMS has none),
    so wrong code tries from many chats in one place are counted together."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            source = (event.get("metadata") or {}).get(SOURCE_METADATA_KEY)
            return source if isinstance(source, str) else None
    return None


def message_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def is_a_button(text: str) -> bool:
    """A button's payload ("/affirm"), or an SMS numbered choice turned into one: not words."""
    return text.strip().startswith("/")


def intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def page_chars(tracker: Tracker) -> int:
    return SMS_PAGE_CHARS if channel(tracker) == "sms" else WEB_PAGE_CHARS


def say(dispatcher: CollectingDispatcher, content: Texts, text_id: str, **values: Any) -> None:
    dispatcher.utter_message(text=content.text(text_id, **values))
