"""Small helpers shared by the guided conversations (goals, check-ins, stuck, bucket, recovery).
Not actions: rasa-sdk registers only Action subclasses."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.turn import intent
from bot.services.guided.interruptions import never_answers

# Values a form's answer slot takes to end the form; never the person's words.
DONE, PAUSED, SAVED, KEPT = "__done__", "__paused__", "__saved__", "__kept__"
SENTINELS = (DONE, PAUSED, SAVED, KEPT)
# Which yes/no question was just asked (a featurised slot, so rules can follow the answer).
PENDING_QUESTION = "pending_question"


def unread_answer(value: Any, tracker: Tracker, slot: str) -> dict[str, Any] | None:
    """What a form's answer validator returns without reading the words, or None to read them:
    nothing said yet or a form-ending value passes through; crisis words and codes are never
    saved as an answer."""
    if value is None or value in SENTINELS:
        return {slot: value}
    if not_an_answer(tracker):
        return {slot: None}
    return None


def not_an_answer(tracker: Tracker) -> bool:
    """Crisis words, and everything content/form_interruptions.yml lists: answered by their own
    rule, then the question is asked again; never saved as the answer."""
    return intent(tracker) in never_answers()


def ask_yes_no(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(response="utter_yes_or_no")
