"""The guided tour of care coordination: "tell me about care coordination", then "next"."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.tracker_person import person_for_tracker
from bot.services.information import tour
from bot.services.people.coordinators import coordinator_for
from bot.store.db import unit_of_work

STEP_SLOT = "tour_step"
LAST_LIST = "last_list"
TOUR = "tour"


def coordinator_name(tracker: Tracker) -> str | None:
    with unit_of_work() as session:
        coordinator = coordinator_for(session, person_for_tracker(session, tracker).id)
        return coordinator.name if coordinator else None


def send_tour_step(dispatcher: CollectingDispatcher, tracker: Tracker, index: int) -> list:
    """Send one step; remember where we are so "next" (or "more") goes on."""
    messages = tour.step_messages(index, coordinator_name(tracker) if index == 0 else None)
    if not messages:
        dispatcher.utter_message(text=tour.content().text("end"))
        return [SlotSet(STEP_SLOT, None), SlotSet(LAST_LIST, None)]
    for message in messages:
        dispatcher.utter_message(text=message)
    if index + 1 >= tour.step_count():
        return [SlotSet(STEP_SLOT, None), SlotSet(LAST_LIST, None)]
    return [SlotSet(STEP_SLOT, float(index + 1)), SlotSet(LAST_LIST, TOUR)]


def send_next_tour_step(dispatcher: CollectingDispatcher, tracker: Tracker) -> list:
    return send_tour_step(dispatcher, tracker, int(tracker.get_slot(STEP_SLOT) or tour.step_count()))


class ActionTourStart(Action):
    def name(self) -> str:
        return "action_tour_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        return send_tour_step(dispatcher, tracker, 0)
