"""Small helpers shared by the guided conversations (goals, check-ins, stuck, bucket, recovery).
Not actions: rasa-sdk registers only Action subclasses."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.turn import intent

CRISIS_INTENTS = ("crisis", "crisis_contacts")
# Never an answer to a form's question: crisis words (CrisisPolicy replies) and codes for
# linking or joining a caseload (their own rules answer, then the question is asked again).
NOT_ANSWERS = CRISIS_INTENTS + ("link_start", "link_code", "enrolment_code", "carer_link_code")
# Values a form's answer slot takes to end the form; never the person's words.
DONE, PAUSED, SAVED, KEPT = "__done__", "__paused__", "__saved__", "__kept__"
SENTINELS = (DONE, PAUSED, SAVED, KEPT)
# Which yes/no question was just asked (a featurised slot, so rules can follow the answer).
PENDING_QUESTION = "pending_question"


def is_crisis(tracker: Tracker) -> bool:
    return intent(tracker) in CRISIS_INTENTS


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
    return intent(tracker) in NOT_ANSWERS


def ask_yes_no(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(response="utter_yes_or_no")
