"""The stress bucket exercise: three list questions (what fills it, how I know it is
overflowing, what lets water out), saved as given; then, with a yes, copied into the WRAP."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.guided import DONE, PAUSED, PENDING_QUESTION, ask_yes_no, steer, unread_answer
from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import channel, say
from bot.services.guided.flow_positions import get_position, set_position
from bot.services.guided.list_answers import is_done, join_for_reading
from bot.services.guided.steering import Move, Steering, Step, pause
from bot.services.recovery import bucket
from bot.store.db import unit_of_work

ANSWER, LIST_OPEN = "bucket_answer", "bucket_list_open"
FLOW = "bucket"
COPY_OFFER = "bucket_copy"
# A list question: skip, back and undo all just move on to the next question, saying nothing.
STEERING = Steering(
    stop=pause("paused"),
    later=pause("paused"),
    skip=Step(Move.skip),
    back=Step(Move.skip),
    undo=Step(Move.skip),
)


def words():
    return bucket.content()


def _first() -> str:
    return words().steps[0].id


class ActionBucketStart(Action):
    def name(self) -> str:
        return "action_bucket_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            is_new = bucket.is_empty(session, person_id)
            if get_position(session, person_id, FLOW) is None:
                set_position(session, person_id, FLOW, _first())
        if is_new:
            say(dispatcher, words(), "intro")
            say(dispatcher, words(), "how")
        return [SlotSet(ANSWER, None), SlotSet(LIST_OPEN, False)]


class ActionAskBucketAnswer(Action):
    def name(self) -> str:
        return "action_ask_bucket_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if tracker.get_slot(LIST_OPEN):
            return []  # "Saved: ... Anything else?" has just been said
        with unit_of_work() as session:
            position = get_position(session, person_for_tracker(session, tracker).id, FLOW) or _first()
        dispatcher.utter_message(text=words().step(position).message)
        return []


class ValidateBucketForm(FormValidationAction):
    def name(self) -> str:
        return "validate_bucket_form"

    def validate_bucket_answer(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if (unread := unread_answer(value, tracker, ANSWER)) is not None:
            return unread
        text = str(value).strip()
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            kind = get_position(session, person_id, FLOW) or _first()
            steered = steer(
                STEERING,
                text,
                dispatcher,
                words(),
                paused={ANSWER: PAUSED, LIST_OPEN: False},
                skip=lambda: self._next(session, person_id, kind),
            )
            if steered is not None:
                return steered
            if is_done(text):
                if not bucket.current_items(session, person_id)[kind]:
                    say(dispatcher, words(), "saved_nothing")
                return self._next(session, person_id, kind)
            saved = bucket.save_items(session, person_id, kind, text, channel(tracker))
            if not saved:
                say(dispatcher, words(), "cannot_use")
                return {ANSWER: None}
            say(dispatcher, words(), "saved_list", items=join_for_reading(item.text for item in saved))
        return {ANSWER: None, LIST_OPEN: True}

    @staticmethod
    def _next(session, person_id: str, kind: str) -> dict[str, Any]:
        following = words().step_after(kind)
        set_position(session, person_id, FLOW, following.id if following else None)
        return {ANSWER: None if following else DONE, LIST_OPEN: False}


class ActionBucketFormEnded(Action):
    """Finished: say where to see it, and offer to copy the parts that belong in the WRAP."""

    def name(self) -> str:
        return "action_bucket_form_ended"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        reset = [SlotSet(ANSWER, None), SlotSet(LIST_OPEN, False)]
        if tracker.get_slot(ANSWER) != DONE:
            return reset + [SlotSet(PENDING_QUESTION, None)]
        with unit_of_work() as session:
            can_copy = bool(bucket.not_yet_in_wrap(session, person_for_tracker(session, tracker).id))
        say(dispatcher, words(), "done")
        if not can_copy:
            return reset + [SlotSet(PENDING_QUESTION, None)]
        say(dispatcher, words(), "offer_copy")
        ask_yes_no(dispatcher)
        return reset + [SlotSet(PENDING_QUESTION, COPY_OFFER)]


class ActionBucketCopy(Action):
    def name(self) -> str:
        return "action_bucket_copy"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            bucket.copy_to_wrap(session, person_for_tracker(session, tracker).id, channel(tracker))
        say(dispatcher, words(), "copied")
        return [SlotSet(PENDING_QUESTION, None)]


class ActionBucketNoCopy(Action):
    def name(self) -> str:
        return "action_bucket_no_copy"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        say(dispatcher, words(), "not_copied")
        return [SlotSet(PENDING_QUESTION, None)]


class ActionBucketShow(Action):
    def name(self) -> str:
        return "action_bucket_show"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            items = bucket.texts(session, person_for_tracker(session, tracker).id)
        if not any(items.values()):
            say(dispatcher, words(), "empty")
            return []
        nothing = words().text("nothing_yet")
        lines = [words().text("show_heading")]
        for step in words().steps:
            lines.append(f"{step.label}: {join_for_reading(items[step.id]) or nothing}")
        for line in lines:
            dispatcher.utter_message(text=line[:320])
        return []
