"""Finding peer support: what for, where (a postcode district at most), then the best matches,
a few at a time, with the choice to save one to the wellness toolbox."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.guided import not_an_answer
from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import channel
from bot.services.guided.controls import Control, control_in
from bot.services.peer_support import directory as peer_support
from bot.services.peer_support import search
from bot.services.wrap import plan as wrap
from bot.store.db import unit_of_work

NEED, AREA = "peer_need", "peer_area"
RESULTS, OFFSET, LAST_LIST = "peer_results", "peer_offset", "last_list"
DISTRICT, FOR_CARER = "peer_district", "peer_for_carer"
STOPPED, NO_AREA = "stopped", "none"
SMS_PAGE, WEB_PAGE = 3, 5
TOOLBOX_QUESTION = "toolbox"


def _message(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def _page_size(tracker: Tracker) -> int:
    return SMS_PAGE if channel(tracker) == "sms" else WEB_PAGE


def send_peer_page(dispatcher: CollectingDispatcher, tracker: Tracker, ids: list[str], offset: int) -> list:
    """Show services from `offset`; say how to see more or save one."""
    shown = peer_support.page(search.services_by_id(ids), offset, _page_size(tracker))
    if not shown:
        dispatcher.utter_message(text=search.text("none_left"))
        return [SlotSet(OFFSET, None)]
    for number, service in enumerate(shown, start=offset + 1):
        dispatcher.utter_message(text=f"{number}. {peer_support.describe(service, max_chars=316)}")
    following = offset + len(shown)
    dispatcher.utter_message(text=search.text("more_hint" if following < len(ids) else "save_hint"))
    return [SlotSet(OFFSET, float(following)), SlotSet(LAST_LIST, "peer_support")]


class ActionPeerSupportStart(Action):
    """Take what the first message already says (need, area) so the form asks only the rest."""

    def name(self) -> str:
        return "action_peer_support_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        text = _message(tracker)
        district = peer_support.postcode_district(text) or tracker.get_slot(DISTRICT)
        return [
            SlotSet(NEED, search.experience_in(text)),
            SlotSet(AREA, district),
            SlotSet(FOR_CARER, search.is_for_a_carer(text, tracker.get_slot("role"))),
        ]


class ActionAskPeerNeed(Action):
    def name(self) -> str:
        return "action_ask_peer_need"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(text=search.text("ask_need"))
        return []


class ActionAskPeerArea(Action):
    def name(self) -> str:
        return "action_ask_peer_area"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(text=search.text("ask_area"))
        return []


class ValidatePeerSupportForm(FormValidationAction):
    """Any answer moves on: an unknown need searches generally, no area searches nationally."""

    def name(self) -> str:
        return "validate_peer_support_form"

    @staticmethod
    def _stopping(value: Any) -> bool:
        return control_in(str(value or "")) in (Control.stop, Control.later)

    def validate_peer_need(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if value is None or not_an_answer(tracker):
            return {NEED: None}
        if self._stopping(value):
            return {NEED: STOPPED, AREA: NO_AREA}
        if value in peer_support.EXPERIENCES:
            return {NEED: value}
        return {NEED: search.experience_in(str(value)) or peer_support.ANY_EXPERIENCE}

    def validate_peer_area(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if value is None or not_an_answer(tracker):
            return {AREA: None}
        if self._stopping(value):
            return {NEED: STOPPED, AREA: NO_AREA}
        district = peer_support.postcode_district(str(value))
        return {AREA: district or NO_AREA, DISTRICT: district or tracker.get_slot(DISTRICT)}


class ActionPeerSupportResults(Action):
    def name(self) -> str:
        return "action_peer_support_results"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        need, area = tracker.get_slot(NEED), tracker.get_slot(AREA)
        reset = [SlotSet(NEED, None), SlotSet(AREA, None)]
        if need == STOPPED:
            dispatcher.utter_message(text=search.text("stopped"))
            return reset
        found = search.search(need, None if area == NO_AREA else area, bool(tracker.get_slot(FOR_CARER)))
        dispatcher.utter_message(text=search.introduction(found))
        return reset + [SlotSet(RESULTS, found.ids)] + send_peer_page(dispatcher, tracker, found.ids, 0)


class ActionPeerSupportInfo(Action):
    def name(self) -> str:
        return "action_peer_support_info"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(text=search.text("what_it_is"))
        return []


class ActionPeerSave(Action):
    """Save a service someone was shown to their wellness toolbox, in their plan."""

    def name(self) -> str:
        return "action_peer_save"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        shown = search.services_by_id(tracker.get_slot(RESULTS) or [])
        number = search.chosen_number(_message(tracker))
        if not shown or number is None or not 1 <= number <= len(shown):
            dispatcher.utter_message(text=search.text("save_which"))
            return []
        service = shown[number - 1]
        item = f"{service.name} ({service.organisation})"
        with unit_of_work() as session:
            plan = wrap.plan_for(session, person_for_tracker(session, tracker).id)
            wrap.save_answer(session, plan, TOOLBOX_QUESTION, item, channel(tracker))
        dispatcher.utter_message(text=search.text("saved", item=item))
        return []
