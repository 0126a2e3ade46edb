"""Joining a care coordinator's caseload with a one-time enrolment code."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import message_source
from bot.services.people.enrolment import Redeemed, redeem_code
from bot.store.db import unit_of_work

_RESPONSES = {
    Redeemed.enrolled: "utter_enrolment_done",
    Redeemed.already: "utter_enrolment_already",
    Redeemed.not_valid: "utter_enrolment_not_valid",
    Redeemed.too_many_tries: "utter_enrolment_too_many_tries",
    Redeemed.no_code: "utter_enrolment_ask_code",
}


class ActionEnrolWithCode(Action):
    def name(self) -> str:
        return "action_enrol_with_code"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        with unit_of_work() as session:
            result = redeem_code(session, person_for_tracker(session, tracker), text, source=message_source(tracker))
        dispatcher.utter_message(response=_RESPONSES[result.outcome], coordinator=result.coordinator_name or "")
        if result.outcome in (Redeemed.enrolled, Redeemed.already):
            return [SlotSet("role", "service_user")]
        return []
