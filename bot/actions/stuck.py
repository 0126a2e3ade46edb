"""When things feel stuck: offer a reflective conversation (questions from content/stuck.yml,
each answer saved as it is given), suggest talking it over with the care coordinator and,
only if the person says yes, flag "review suggested" for them (bot/services/coordination/review_flags.py)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.guided import DONE, PAUSED, PENDING_QUESTION, ask_yes_no, steer, unread_answer
from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import channel, say
from bot.services.coordination import review_flags
from bot.services.guided.steering import Move, Steering, Step, pause
from bot.services.people.coordinators import coordinator_for
from bot.services.recovery import stuck
from bot.store.db import unit_of_work

ANSWER = "stuck_answer"
STUCK_OFFER, FLAG_OFFER = "stuck_offer", "stuck_flag"
# A reflection: skip, back and undo all move on to the next question.
STEERING = Steering(
    stop=pause("paused"),
    later=pause("paused"),
    skip=Step(Move.skip, "skipped"),
    back=Step(Move.skip, "skipped"),
    undo=Step(Move.skip, "skipped"),
)


def words():
    return stuck.content()


class ActionStuckOffer(Action):
    """The person says they feel stuck: offer to think it through together."""

    def name(self) -> str:
        return "action_stuck_offer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            if stuck.open_reflection(session, person_id) is None:
                stuck.offer(session, person_id, stuck.SAID_STUCK)
        say(dispatcher, words(), "offer_said_stuck")
        ask_yes_no(dispatcher)
        return [SlotSet(PENDING_QUESTION, STUCK_OFFER)]


class ActionStuckStart(Action):
    def name(self) -> str:
        return "action_stuck_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            stuck.start(session, person_for_tracker(session, tracker).id)
        say(dispatcher, words(), "intro")
        return [SlotSet(ANSWER, None), SlotSet(PENDING_QUESTION, None)]


class ActionStuckDeclined(Action):
    def name(self) -> str:
        return "action_stuck_declined"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            stuck.decline(session, person_for_tracker(session, tracker).id)
        say(dispatcher, words(), "declined")
        return [SlotSet(PENDING_QUESTION, None)]


class ActionAskStuckAnswer(Action):
    def name(self) -> str:
        return "action_ask_stuck_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            reflection = stuck.start(session, person_for_tracker(session, tracker).id)
            question_id = reflection.position_question_id
        dispatcher.utter_message(text=words().step(question_id).text)
        return []


class ValidateStuckForm(FormValidationAction):
    def name(self) -> str:
        return "validate_stuck_form"

    def validate_stuck_answer(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if (unread := unread_answer(value, tracker, ANSWER)) is not None:
            return unread
        text = str(value).strip()
        with unit_of_work() as session:
            reflection = stuck.start(session, person_for_tracker(session, tracker).id)
            steered = steer(
                STEERING,
                text,
                dispatcher,
                words(),
                paused={ANSWER: PAUSED},
                skip=lambda: self._advance(session, reflection),
            )
            if steered is not None:
                return steered
            if stuck.save_answer(session, reflection, text) is None:
                say(dispatcher, words(), "cannot_use")
                return {ANSWER: None}
            return self._advance(session, reflection)

    @staticmethod
    def _advance(session, reflection) -> dict[str, Any]:
        finished = stuck.advance(session, reflection) is None
        return {ANSWER: DONE if finished else None}


class ActionStuckFormEnded(Action):
    """After the last question: thank them, suggest their coordinator, and ask before flagging."""

    def name(self) -> str:
        return "action_stuck_form_ended"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if tracker.get_slot(ANSWER) != DONE:
            return [SlotSet(ANSWER, None), SlotSet(PENDING_QUESTION, None)]
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            coordinator = coordinator_for(session, person_id)
            name = coordinator.name if coordinator else None
            already = review_flags.open_flag(session, person_id) is not None
        say(dispatcher, words(), "done")
        if name and already:
            say(dispatcher, words(), "already_flagged", coordinator=name)
        elif name:
            say(dispatcher, words(), "suggest_named", coordinator=name)
            ask_yes_no(dispatcher)
            return [SlotSet(ANSWER, None), SlotSet(PENDING_QUESTION, FLAG_OFFER)]
        else:
            say(dispatcher, words(), "suggest_unnamed")
        return [SlotSet(ANSWER, None), SlotSet(PENDING_QUESTION, None)]


class ActionStuckFlag(Action):
    """They said yes: record their consent (goals_checkins, for this coordinator) and flag."""

    def name(self) -> str:
        return "action_stuck_flag"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            coordinator = coordinator_for(session, person_id)
            reflection = stuck.latest_reflection(session, person_id)
            if coordinator is not None and not review_flags.may_flag_review(session, person_id):
                review_flags.record_consent(session, person_id, words().text("consent_wording"), channel(tracker))
            flag = review_flags.flag_review(
                session,
                person_id,
                reflection.reason if reflection else stuck.SAID_STUCK,
                reflection.id if reflection else None,
            )
            name = coordinator.name if coordinator else None
        if flag is None or not name:
            say(dispatcher, words(), "suggest_unnamed")
        else:
            say(dispatcher, words(), "flagged", coordinator=name)
        return [SlotSet(PENDING_QUESTION, None)]


class ActionStuckNoFlag(Action):
    def name(self) -> str:
        return "action_stuck_no_flag"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        say(dispatcher, words(), "not_flagged")
        return [SlotSet(PENDING_QUESTION, None)]
