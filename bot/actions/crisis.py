"""After the crisis reply: the extras that need our database.

The contacts have already gone out as a plain response (CrisisPolicy); this action only adds
what helps next, and if it fails the person has lost nothing that matters.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.tracker_person import person_for_tracker
from bot.services.wrap import plan as wrap
from bot.store.db import unit_of_work

CRISIS_PLAN_SECTION = "crisis_plan"


class ActionCrisisFollowUp(Action):
    def name(self) -> str:
        return "action_crisis_follow_up"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if tracker.get_slot("crisis_subject") == "other":
            return []  # a carer describing someone else: their plan is not the carer's to show
        with unit_of_work() as session:
            plan = wrap.plan_for(session, person_for_tracker(session, tracker).id)
            has_crisis_plan = bool(wrap.current_items(session, plan, section_id=CRISIS_PLAN_SECTION))
        if has_crisis_plan:
            dispatcher.utter_message(response="utter_offer_crisis_plan")
        if tracker.get_slot("interrupted_loop") == "wrap_form":
            dispatcher.utter_message(response="utter_plan_paused_after_crisis")
        if tracker.get_slot("interrupted_loop") == "consent_form":
            dispatcher.utter_message(response="utter_consent_paused_after_crisis")
            return [SlotSet("consent_step", None), SlotSet("consent_page", 0.0)]  # ask it whole again
        return []
