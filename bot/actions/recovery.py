"""What recovery means to me: asked gently, saved in the person's words, changed at any time
(the old words are kept), shown back on request."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.guided import KEPT, PAUSED, SAVED, steer, unread_answer
from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import channel, message_text, say
from bot.services.guided.steering import NOT_OFFERED, Steering, pause
from bot.services.recovery import checkins
from bot.services.recovery import meaning as recovery
from bot.store.db import unit_of_work

ANSWER = "recovery_answer"
# One question: every steering word leaves it for later except "undo", which is not offered
# here, so "undo" is read (and saved) as the answer.
STEERING = Steering(
    stop=pause("recovery_later"),
    later=pause("recovery_later"),
    skip=pause("recovery_later"),
    back=pause("recovery_later"),
    undo=NOT_OFFERED,
)


def words():
    return checkins.content()  # content/goals.yml holds the recovery texts too


def _keeps(text: str) -> bool:
    tidy = " ".join(text.lower().replace("\u2019", "'").strip(" .!").split())
    return tidy in words().lists.get("keep", ())


class ActionRecoveryStart(Action):
    """Take the meaning from the opening message if it is there; otherwise ask, gently."""

    def name(self) -> str:
        return "action_recovery_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        given = recovery.meaning_in(message_text(tracker))
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            had_one = recovery.current_meaning(session, person_id) is not None
            if given:
                meaning, _ = recovery.save_meaning(session, person_id, given, channel(tracker))
                saved = meaning.text
        if given:
            say(dispatcher, words(), "recovery_updated" if had_one else "recovery_saved", meaning=saved)
            return [SlotSet(ANSWER, SAVED)]
        if not had_one:
            say(dispatcher, words(), "recovery_intro")
        return [SlotSet(ANSWER, None)]


class ActionAskRecoveryAnswer(Action):
    def name(self) -> str:
        return "action_ask_recovery_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            current = recovery.current_meaning(session, person_for_tracker(session, tracker).id)
            text = current.text if current else None
        if text:
            say(dispatcher, words(), "recovery_current", meaning=text)
        else:
            say(dispatcher, words(), "recovery_ask")
        return []


class ValidateRecoveryForm(FormValidationAction):
    def name(self) -> str:
        return "validate_recovery_form"

    def validate_recovery_answer(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if (unread := unread_answer(value, tracker, ANSWER)) is not None:
            return unread
        text = str(value).strip()
        steered = steer(STEERING, text, dispatcher, words(), paused={ANSWER: PAUSED})
        if steered is not None:
            return steered
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            had_one = recovery.current_meaning(session, person_id) is not None
            if had_one and _keeps(text):
                say(dispatcher, words(), "recovery_kept")
                return {ANSWER: KEPT}
            try:
                meaning, changed = recovery.save_meaning(session, person_id, text, channel(tracker))
            except ValueError:
                say(dispatcher, words(), "goal_cannot_use")
                return {ANSWER: None}
            saved = meaning.text
        if not changed:
            say(dispatcher, words(), "recovery_kept")
        else:
            say(dispatcher, words(), "recovery_updated" if had_one else "recovery_saved", meaning=saved)
        return {ANSWER: SAVED}


class ActionRecoveryFormEnded(Action):
    def name(self) -> str:
        return "action_recovery_form_ended"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        return [SlotSet(ANSWER, None)]


class ActionRecoveryShow(Action):
    def name(self) -> str:
        return "action_recovery_show"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            history = [m.text for m in recovery.meaning_history(session, person_for_tracker(session, tracker).id)]
        if not history:
            say(dispatcher, words(), "recovery_none")
            return []
        say(dispatcher, words(), "recovery_show", meaning=history[-1])
        if len(history) > 1:
            say(dispatcher, words(), "recovery_changed_before", count=len(history) - 1, meaning=history[-2])
        say(dispatcher, words(), "recovery_change_hint")
        return []
