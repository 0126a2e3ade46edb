"""Small helpers shared by the guided conversations (goals, check-ins, stuck, bucket, recovery).
Not actions: rasa-sdk registers only Action subclasses."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection

from bot.actions.turn import intent, message_text
from bot.services.feelings.in_forms import said_as_a_feeling
from bot.services.guided.interruptions import feelings_are_answers_in, feelings_intents, never_answers

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
    """Crisis words, and everything content/form_interruptions.yml lists (a feeling only when it
    is said as one: "I feel awful", not "feeling low" as an early warning sign): answered by
    their own rule, then the question is asked again; never saved as the answer."""
    said = intent(tracker)
    if said in never_answers():
        return True
    form = tracker.active_loop_name
    if (
        said in feelings_intents()
        and form not in feelings_are_answers_in()
        and said_as_a_feeling(message_text(tracker))
    ):
        # Refused, so Rasa takes the form's interruption rule for this intent (answer it, then
        # the question again), as for an intent the slot mapping never takes.
        raise ActionExecutionRejection(f"validate_{form}", "a feeling, not an answer")
    return False


def ask_yes_no(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(response="utter_yes_or_no")
