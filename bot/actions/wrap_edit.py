"""Removing or changing one item of the plan, always after a yes."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import turn
from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import message_text
from bot.services.wrap import plan as wrap
from bot.services.wrap.content import load_wrap_content
from bot.services.wrap.edits import read_change, read_remove
from bot.store.db import unit_of_work

ITEM_SLOT = "wrap_edit_item"
NEW_TEXT_SLOT = "wrap_edit_new"


class _AskToEdit:
    """Find the item the person means and ask them to confirm the change. (A mixin, not an
    Action, so rasa-sdk does not try to register it.)"""

    def read(self, text: str):
        raise NotImplementedError

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        content = load_wrap_content()
        request = self.read(message_text(tracker))
        with unit_of_work() as session:
            plan = wrap.plan_for(session, person_for_tracker(session, tracker).id)
            section_id = wrap.section_from_text(request.where_words) if request else None
            found = wrap.find_items(session, plan, request.item_words, section_id=section_id) if request else []
            item = found[0] if found else None
            item_id, item_text = (item.id, item.text) if item else (None, "")
            section_title = content.section(item.section_id).title if item else ""
        if item_id is None:
            dispatcher.utter_message(text=content.text("edit_not_found"))
            return [SlotSet(ITEM_SLOT, None), SlotSet(NEW_TEXT_SLOT, None)]
        if request.new_text:
            dispatcher.utter_message(text=content.text("confirm_change", item=item_text, new=request.new_text))
        else:
            dispatcher.utter_message(text=content.text("confirm_remove", item=item_text, section=section_title))
        dispatcher.utter_message(response="utter_yes_or_no")
        return [SlotSet(ITEM_SLOT, item_id), SlotSet(NEW_TEXT_SLOT, request.new_text)]


class ActionWrapAskRemove(_AskToEdit, Action):
    def name(self) -> str:
        return "action_wrap_ask_remove"

    def read(self, text: str):
        return read_remove(text)


class ActionWrapAskChange(_AskToEdit, Action):
    def name(self) -> str:
        return "action_wrap_ask_change"

    def read(self, text: str):
        return read_change(text)


class ActionWrapApplyEdit(Action):
    """The person said yes: make the change they confirmed (history is kept)."""

    def name(self) -> str:
        return "action_wrap_apply_edit"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        content = load_wrap_content()
        item_id, new_text = tracker.get_slot(ITEM_SLOT), tracker.get_slot(NEW_TEXT_SLOT)
        if not item_id:
            dispatcher.utter_message(text=content.text("edit_not_found"))
            return []
        channel = turn.channel(tracker)
        with unit_of_work() as session:
            plan = wrap.plan_for(session, person_for_tracker(session, tracker).id)
            try:
                if new_text:
                    old_text = next(i.text for i in wrap.current_items(session, plan) if i.id == item_id)
                    wrap.change_item(session, plan, item_id, new_text, channel)
                    message = content.text("changed", item=old_text, new=new_text)
                else:
                    message = content.text("removed", item=wrap.remove_item(session, plan, item_id).text)
            except (ValueError, StopIteration):  # changed elsewhere since we asked
                message = content.text("edit_not_found")
        dispatcher.utter_message(text=message)
        return [SlotSet(ITEM_SLOT, None), SlotSet(NEW_TEXT_SLOT, None)]


class ActionWrapCancelEdit(Action):
    def name(self) -> str:
        return "action_wrap_cancel_edit"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(text=load_wrap_content().text("edit_cancelled"))
        return [SlotSet(ITEM_SLOT, None), SlotSet(NEW_TEXT_SLOT, None)]
