"""Small helpers shared by the guided conversations (goals, check-ins, stuck, bucket, recovery).
Not actions: rasa-sdk registers only Action subclasses."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.services.guided_content import GuidedContent

CRISIS_INTENTS = ("crisis", "crisis_contacts")
# Values a form's answer slot takes to end the form; never the person's words.
DONE, PAUSED, SAVED, KEPT = "__done__", "__paused__", "__saved__", "__kept__"
SENTINELS = (DONE, PAUSED, SAVED, KEPT)
# Which yes/no question was just asked (a featurised slot, so rules can follow the answer).
PENDING_QUESTION = "pending_question"


def channel(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "rest"


def message_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def is_crisis(tracker: Tracker) -> bool:
    return intent(tracker) in CRISIS_INTENTS


def say(dispatcher: CollectingDispatcher, content: GuidedContent, text_id: str, **values: Any) -> None:
    dispatcher.utter_message(text=content.text(text_id, **values))


def ask_yes_no(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(response="utter_yes_or_no")
