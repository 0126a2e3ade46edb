"""Small helpers shared by the guided conversations (the plan, goals, check-ins, stuck, bucket,
recovery): what is not an answer, and what a steering word does (`steer`). Not actions: rasa-sdk
registers only Action subclasses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection

from bot.actions.turn import Texts, intent, message_text, say
from bot.services.feelings.in_forms import said_as_a_feeling
from bot.services.guided.interruptions import feelings_are_answers_in, feelings_intents, never_answers
from bot.services.guided.steering import Move, Steering

# Values a form's answer slot takes to end the form; never the person's words.
DONE, PAUSED, SAVED, KEPT = "__done__", "__paused__", "__saved__", "__kept__"
SENTINELS = (DONE, PAUSED, SAVED, KEPT)
# Which yes/no question was just asked (a featurised slot, so rules can follow the answer).
PENDING_QUESTION = "pending_question"

# A form's own handling of a steering word: does it, says anything more, returns the slot values.
SlotValues = dict[str, Any]
Callback = Callable[[], SlotValues]


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


def steer(
    steering: Steering,
    text: str,
    dispatcher: CollectingDispatcher,
    content: Texts,
    *,
    paused: SlotValues | None = None,
    skip: Callback | None = None,
    back: Callback | None = None,
    undo: Callback | None = None,
) -> SlotValues | None:
    """Do what this message means as a steering word in the form whose table `steering` is:
    say the table's text (from `content`), then return `paused` or what the form's callback
    returns. None when the words are an answer (not a steering word, or not offered here)."""
    step = steering.step_for(text)
    if step is None:
        return None
    if step.text_id:
        say(dispatcher, content, step.text_id)
    if step.move is Move.pause:
        if paused is None:
            raise ValueError("the steering table pauses, but the form gave no paused slot values")
        return dict(paused)
    callback = {Move.skip: skip, Move.back: back, Move.undo: undo}[step.move]
    if callback is None:
        raise ValueError(f"the steering table says {step.move.value}, but the form gave no callback for it")
    return callback()
