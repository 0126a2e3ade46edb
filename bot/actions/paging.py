""" "More": the next page of whichever list was shown last (the plan, peer support, or the
care coordination tour, or what is shared with a carer)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.care_coordination import TOUR, send_next_tour_step
from bot.actions.carers import CARER_LIST, send_next_carer_page
from bot.actions.peer_support import OFFSET, RESULTS, send_peer_page
from bot.actions.wrap_review import send_next_plan_page


class ActionShowMore(Action):
    def name(self) -> str:
        return "action_show_more"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if tracker.get_slot("last_list") == TOUR:
            return send_next_tour_step(dispatcher, tracker)
        if tracker.get_slot("last_list") == CARER_LIST:
            return send_next_carer_page(dispatcher, tracker)
        if tracker.get_slot("last_list") == "peer_support":
            ids = tracker.get_slot(RESULTS) or []
            return send_peer_page(dispatcher, tracker, ids, int(tracker.get_slot(OFFSET) or len(ids)))
        return send_next_plan_page(dispatcher, tracker)
