"""How someone says they feel: Rasa-facing and thin. The words and the choice of offer are in
bot/services/feelings/ (content/feelings.yml); this reads the role and the person's plan,
replies, and remembers what a "yes" would do (feelings_offer, followed by the rules in
bot/data/rules/feelings.yml)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import intent, message_text, say
from bot.actions.wrap import ANSWER_SLOT, LIST_OPEN_SLOT, UNUSABLE_SLOT
from bot.services.feelings.content import Topic, load_feelings_content
from bot.services.feelings.in_forms import said_as_a_feeling
from bot.services.feelings.replies import EXERCISE, START_SECTION, USE_ITEM, exercise_messages, in_form_reply, reply_for
from bot.services.people.coordinators import coordinator_for
from bot.services.wrap import plan as wrap
from bot.services.wrap.content import load_wrap_content
from bot.store.db import unit_of_work
from bot.store.models import Role

OFFER_SLOT, SECTION_SLOT = "feelings_offer", "feelings_section"
WRAP_FORM = "wrap_form"


def _is_carer(tracker: Tracker) -> bool:
    return tracker.get_slot("role") == Role.carer.value


def _topic(tracker: Tracker) -> Topic | None:
    return load_feelings_content().topic_for_intent(intent(tracker))


def _say_all(dispatcher: CollectingDispatcher, messages: tuple[str, ...]) -> None:
    for text in messages:
        dispatcher.utter_message(text=text)


def _offer_checkin_note(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The feeling may be noted as a check-in, only if the person says so ("better", "same",
    "worse" start today's check-in, bot/actions/checkins.py); not offered to carers."""
    if not _is_carer(tracker):
        say(dispatcher, load_feelings_content(), "note_hint")


class ActionFeelingsReply(Action):
    """Say back what was heard, then one offer from the person's own plan, or a next step."""

    def name(self) -> str:
        return "action_feelings_reply"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        topic = _topic(tracker)
        if topic is None:  # only reached by a rule for a feelings intent; never silent anyway
            dispatcher.utter_message(response="utter_fallback")
            return [SlotSet(OFFER_SLOT, None)]
        carer = _is_carer(tracker)
        items: dict[str, list[str]] = {}
        coordinator = None
        if not carer:
            with unit_of_work() as session:
                person_id = person_for_tracker(session, tracker).id
                plan = wrap.plan_for(session, person_id)
                for question_id in topic.plan_questions:
                    items[question_id] = [
                        item.text for item in wrap.current_items(session, plan, question_id=question_id)
                    ]
                found = coordinator_for(session, person_id)
                coordinator = found.name if found else None
        reply = reply_for(topic, carer=carer, plan_items=items, coordinator=coordinator)
        _say_all(dispatcher, reply.messages)
        return [SlotSet(OFFER_SLOT, reply.offer), SlotSet(SECTION_SLOT, reply.section)]


class ActionFeelingsInForm(Action):
    """A feeling said in the middle of a question: acknowledged (the form's validation refused
    it, bot/actions/guided.not_an_answer), then the form asks its question again. A message
    that only sounds like a feeling ("panic attacks" as a trigger) was the answer: say nothing."""

    def name(self) -> str:
        return "action_feelings_in_form"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        topic = _topic(tracker)
        if topic is None or not said_as_a_feeling(message_text(tracker)):
            return []
        _say_all(dispatcher, in_form_reply(topic, carer=_is_carer(tracker)))
        # The answer slot holds the words (the slot mapping took them): emptied, so the form
        # asks its question again.
        requested = tracker.get_slot("requested_slot")
        return [SlotSet(requested, None)] if requested else []


class ActionFeelingsYes(Action):
    """Yes to the offer: the item from their plan (encouragement), the breathing exercise, or
    the part of the plan that fits (the plan form opens at that section)."""

    def name(self) -> str:
        return "action_feelings_yes"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        offer = tracker.get_slot(OFFER_SLOT)
        cleared = [SlotSet(OFFER_SLOT, None), SlotSet(SECTION_SLOT, None)]
        if offer == EXERCISE:
            _say_all(dispatcher, exercise_messages())
        elif offer == USE_ITEM:
            say(dispatcher, load_feelings_content(), "item_yes")
        elif offer == START_SECTION:
            return cleared + self._start_section(dispatcher, tracker)
        else:  # nothing was offered: a yes on its own
            dispatcher.utter_message(response="utter_menu")
            return cleared
        _offer_checkin_note(dispatcher, tracker)
        return cleared

    @staticmethod
    def _start_section(dispatcher: CollectingDispatcher, tracker: Tracker) -> list:
        content = load_wrap_content()
        section_id = tracker.get_slot(SECTION_SLOT) or content.sections[0].id
        with unit_of_work() as session:
            plan = wrap.plan_for(session, person_for_tracker(session, tracker).id)
            wrap.set_position(session, plan, content.section(section_id).questions[0].id)
        say(dispatcher, load_feelings_content(), "section_intro")
        return [
            SlotSet(ANSWER_SLOT, None),
            SlotSet(LIST_OPEN_SLOT, False),
            SlotSet(UNUSABLE_SLOT, 0.0),
            FollowupAction(WRAP_FORM),
        ]


class ActionFeelingsNo(Action):
    def name(self) -> str:
        return "action_feelings_no"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        offer = tracker.get_slot(OFFER_SLOT)
        if offer is None:  # nothing was offered: a no on its own
            dispatcher.utter_message(response="utter_menu")
        else:
            text_id = {EXERCISE: "exercise_no", START_SECTION: "section_no"}.get(offer, "item_no")
            say(dispatcher, load_feelings_content(), text_id)
            _offer_checkin_note(dispatcher, tracker)
        return [SlotSet(OFFER_SLOT, None), SlotSet(SECTION_SLOT, None)]
