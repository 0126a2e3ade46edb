"""Reading the plan back: the whole plan or one part, in pages short enough for SMS."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import message_text, page_chars
from bot.common.clock import utc_now
from bot.services.recovery import bucket
from bot.services.wrap import plan as wrap
from bot.services.wrap.content import load_wrap_content
from bot.services.wrap.export import plan_pages
from bot.services.wrap.export_links import EXPORT_LINK_MINUTES, make_export_token
from bot.settings import public_base_url
from bot.store.db import unit_of_work

PAGE_SLOT = "wrap_page"
SECTION_SLOT = "wrap_show_section"


def _page_size(tracker: Tracker) -> int:
    return page_chars(tracker)


def _pages(tracker: Tracker, section_id: str | None) -> list[str]:
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_for_tracker(session, tracker).id)
        items = wrap.current_items(session, plan, section_id=section_id)
        return plan_pages(items, max_chars=_page_size(tracker))


def _send_page(dispatcher: CollectingDispatcher, pages: list[str], index: int) -> list:
    """Send one page; say how to get the next, and remember where we are."""
    content = load_wrap_content()
    dispatcher.utter_message(text=pages[index])
    if index + 1 < len(pages):
        dispatcher.utter_message(text=content.text("more_pages", page=str(index + 1), pages=str(len(pages))))
        return [SlotSet(PAGE_SLOT, float(index + 1)), SlotSet("last_list", "plan")]
    return [SlotSet(PAGE_SLOT, None)]


class ActionWrapShow(Action):
    def name(self) -> str:
        return "action_wrap_show"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        known = {section.id for section in load_wrap_content().sections}
        asked = next((value for value in tracker.get_latest_entity_values("wrap_section") if value in known), None)
        section_id = asked or wrap.section_from_text(message_text(tracker))
        pages = _pages(tracker, section_id)
        if not pages:
            dispatcher.utter_message(text=load_wrap_content().text("nothing_saved_yet"))
            return [SlotSet(PAGE_SLOT, None)]
        return [SlotSet(SECTION_SLOT, section_id), *_send_page(dispatcher, pages, 0)]


def send_next_plan_page(dispatcher: CollectingDispatcher, tracker: Tracker) -> list:
    """The next page of the plan read back (used by action_show_more)."""
    index = int(tracker.get_slot(PAGE_SLOT) or 0)
    pages = _pages(tracker, tracker.get_slot(SECTION_SLOT))
    if not index or index >= len(pages):
        dispatcher.utter_message(text=load_wrap_content().text("no_more_pages"))
        return [SlotSet(PAGE_SLOT, None)]
    return _send_page(dispatcher, pages, index)


class ActionWrapExport(Action):
    """A link to a printable copy of the plan, valid for a short time."""

    def name(self) -> str:
        return "action_wrap_export"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            person = person_for_tracker(session, tracker)
            has_items = bool(wrap.current_items(session, wrap.plan_for(session, person.id)))
            has_items = has_items or not bucket.is_empty(session, person.id)  # the export draws it
            token = make_export_token(person.id, utc_now())
        content = load_wrap_content()
        if not has_items:
            dispatcher.utter_message(text=content.text("nothing_saved_yet"))
            return []
        url = f"{public_base_url()}/webhooks/plan/export/{token}"
        dispatcher.utter_message(text=content.text("export_ready", url=url, minutes=str(EXPORT_LINK_MINUTES)))
        return []
