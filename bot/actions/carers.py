"""Carers, in conversation (the rules are in bot/services/carers/carers.py; words in content/carers.yml).

A carer: "what can I be told?" (the general answer, plus exactly what a linked person shares
with them), "show me" (what is shared, in pages, consent read and audited on every page),
sending a code, leaving a message for the care team, support for carers.
A person: "share with my mum" (a code, then which parts, in `carer_access_form`), "who have I
linked?", "change what my mum can see", "stop sharing with my mum".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import team_messages
from bot.actions.fallback import words_left_unanswered
from bot.actions.guided import DONE, PAUSED, SENTINELS, not_an_answer, unread_answer
from bot.actions.tracker_person import identity_for_tracker, person_for_tracker
from bot.actions.turn import channel, is_a_button, message_source, message_text, page_chars, say
from bot.common.clock import utc_now
from bot.services.carers import carers, urgent
from bot.services.carers.carers import AccessReply, LinkResult, MessageOutcome
from bot.services.carers.urgent import UrgentOutcome
from bot.services.guided.controls import control_in
from bot.services.wrap.export import plan_pages
from bot.store.db import unit_of_work
from bot.store.models import Role

LINK_SLOT, ACCESS_ANSWER, ACCESS_UNCLEAR = "carer_link_id", "carer_access_answer", "carer_access_unclear"
MESSAGE_OPEN, MESSAGE_TEXT = "carer_message_open", "carer_message_text"
PAGE_SLOT, LAST_LIST, CARER_LIST = "carer_page", "last_list", "carer_shared"
UNCLEAR_BEFORE_LEAVING = 2
PEER_SUPPORT_PAYLOAD = "/find_peer_support"
URGENT_PAYLOAD = "/carer_mark_urgent"
LINK_RESPONSES = {
    LinkResult.linked: "link_done",
    LinkResult.already: "link_already",
    LinkResult.own: "link_own",
    LinkResult.no_code: "link_no_code",
    LinkResult.wrong: "link_wrong",
    LinkResult.expired: "link_expired",
    LinkResult.used: "link_used",
    LinkResult.too_many_tries: "link_too_many",
}
MESSAGE_RESPONSES = {
    MessageOutcome.sent: "message_sent",
    MessageOutcome.no_coordinator: "message_sent_no_coordinator",
    MessageOutcome.several: "message_several",
    MessageOutcome.not_linked: "message_not_linked",
}
URGENT_RESPONSES = {  # not_linked: the crisis contacts instead (ActionCarerMarkUrgent)
    UrgentOutcome.marked: "urgent_marked",
    UrgentOutcome.marked_no_coordinator: "urgent_marked_no_coordinator",
    UrgentOutcome.already: "urgent_already",
    UrgentOutcome.nothing_recent: "urgent_nothing_recent",
}


def _say(dispatcher: CollectingDispatcher, text_id: str, **values: Any) -> None:
    say(dispatcher, carers.carers_content(), text_id, **values)


def _now() -> datetime:
    return utc_now()


def _who(index: int, count: int) -> str:
    content = carers.carers_content()
    return content.text("person_one") if count == 1 else content.text("person_many", number=index + 1)


def _show_button() -> list:
    title = carers.carers_content().text("show_button")
    return [{"title": title, "payload": "show me what is shared with me"}]


# -- a carer ---------------------------------------------------------------------------------


class ActionWhatCanIBeTold(Action):
    """The honest general answer; then, for a linked carer, exactly what is shared with them."""

    def name(self) -> str:
        return "action_what_can_i_be_told"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        for message in carers.what_a_carer_can_be_told():
            dispatcher.utter_message(text=message)
        with unit_of_work() as session:
            shared = carers.what_is_shared(session, person_for_tracker(session, tracker).id, _now())
        if not shared:
            _say(dispatcher, "told_not_linked")
            return []
        any_shared = False
        for index, each in enumerate(shared):
            who = _who(index, len(shared))
            if each.categories:
                any_shared = True
                _say(dispatcher, "told_shares", who=who, categories=carers.category_names(each.categories))
            else:
                _say(dispatcher, "told_shares_nothing", who=who)
        dispatcher.utter_message(
            text=carers.carers_content().text("told_leave_message"), buttons=_show_button() if any_shared else []
        )
        return []


def _carer_pages(tracker: Tracker) -> list[tuple[str | None, str]]:
    """(heading or None, page) for everything shared with this carer now. Consent is read and
    the view audited here, on every call."""
    size = page_chars(tracker)
    content = carers.carers_content()
    pages: list[tuple[str | None, str]] = []
    with unit_of_work() as session:
        shared = carers.shared_with_carer(session, person_for_tracker(session, tracker).id, _now())
        for index, each in enumerate(shared):
            who = _who(index, len(shared))
            texts = plan_pages(each.items, max_chars=size) if each.items else []
            if not texts:
                pages.append((None, content.text("show_nothing", who=who)))
                continue
            for number, text in enumerate(texts):
                pages.append((content.text("show_heading", who=who) if number == 0 else None, text))
    return pages


def _send_carer_page(dispatcher: CollectingDispatcher, pages: list[tuple[str | None, str]], index: int) -> list:
    heading, text = pages[index]
    if heading:
        dispatcher.utter_message(text=heading)
    dispatcher.utter_message(text=text)
    if index + 1 < len(pages):
        _say(dispatcher, "show_more", page=index + 1, pages=len(pages))
        return [SlotSet(PAGE_SLOT, float(index + 1)), SlotSet(LAST_LIST, CARER_LIST)]
    return [SlotSet(PAGE_SLOT, None)]


class ActionCarerShowShared(Action):
    def name(self) -> str:
        return "action_carer_show_shared"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        pages = _carer_pages(tracker)
        if not pages:
            _say(dispatcher, "show_not_linked")
            return [SlotSet(PAGE_SLOT, None)]
        return _send_carer_page(dispatcher, pages, 0)


def send_next_carer_page(dispatcher: CollectingDispatcher, tracker: Tracker) -> list:
    """ "More" after a page of what is shared with a carer: consent is read again."""
    index = int(tracker.get_slot(PAGE_SLOT) or 0)
    pages = _carer_pages(tracker)
    if not index or index >= len(pages):
        _say(dispatcher, "show_no_more")
        return [SlotSet(PAGE_SLOT, None)]
    return _send_carer_page(dispatcher, pages, index)


class ActionCarerEnterCode(Action):
    def name(self) -> str:
        return "action_carer_enter_code"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            outcome = carers.redeem(
                session, identity_for_tracker(session, tracker), message_text(tracker), _now(), message_source(tracker)
            )
        _say(dispatcher, LINK_RESPONSES[outcome.result])
        if outcome.result is LinkResult.linked:
            return [SlotSet("role", "carer")]
        return []


class ActionCarerMessageStart(Action):
    """ "He has stopped his tablets": passed on at once. "I want to leave a message": asked for."""

    def name(self) -> str:
        return "action_carer_message_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        text = message_text(tracker)
        with unit_of_work() as session:
            carer_id = person_for_tracker(session, tracker).id
            linked = bool(carers.people_linked_to(session, carer_id))
        if not linked and tracker.get_slot("role") != Role.carer.value:
            # The person themselves, wanting their own care team told something.
            words = None if is_a_button(text) or carers.is_only_a_request(text) else text
            return [SlotSet(MESSAGE_OPEN, None)] + team_messages.start(
                dispatcher, tracker, words or words_left_unanswered(tracker)
            )
        not_the_persons = SlotSet(team_messages.OPEN_SLOT, None)
        if not linked:
            _say(dispatcher, "message_not_linked")
            _say(dispatcher, "message_not_watched")
            return [SlotSet(MESSAGE_OPEN, False), not_the_persons]
        if carers.is_only_a_request(text):
            return [SlotSet(MESSAGE_OPEN, True), SlotSet(MESSAGE_TEXT, None), not_the_persons]
        _pass_on(dispatcher, tracker, text)
        return [SlotSet(MESSAGE_OPEN, False), not_the_persons]


def _pass_on(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> None:
    with unit_of_work() as session:
        result = carers.leave_message(
            session, person_for_tracker(session, tracker).id, text, channel=channel(tracker), now=_now()
        )
    _say(dispatcher, MESSAGE_RESPONSES[result.outcome], coordinator=result.coordinator_name)
    _say(dispatcher, "message_not_watched")
    if result.outcome in (MessageOutcome.sent, MessageOutcome.no_coordinator):
        content = carers.carers_content()
        dispatcher.utter_message(
            text=content.text("urgent_offer"),
            buttons=[{"title": content.text("urgent_button"), "payload": URGENT_PAYLOAD}],
        )


class ActionCarerMarkUrgent(Action):
    """ "It's urgent" after leaving a message: the team sees it first (bot/services/carers/urgent.py)."""

    def name(self) -> str:
        return "action_carer_mark_urgent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            result = urgent.mark_latest_urgent(session, person_for_tracker(session, tracker).id, now=_now())
        if result.outcome is UrgentOutcome.not_linked:
            # Not a linked carer: "it's urgent" may be about their own safety.
            dispatcher.utter_message(response="utter_crisis_contacts")
            return []
        _say(dispatcher, URGENT_RESPONSES[result.outcome], coordinator=result.coordinator_name)
        _say(dispatcher, "message_not_watched")
        return []


class ActionAskCarerMessageText(Action):
    def name(self) -> str:
        return "action_ask_carer_message_text"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        _say(dispatcher, "message_ask")
        return []


class ValidateCarerMessageForm(FormValidationAction):
    def name(self) -> str:
        return "validate_carer_message_form"

    def validate_carer_message_text(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        unread = unread_answer(value, tracker, MESSAGE_TEXT)  # crisis words are never passed on as a message
        if unread is not None:
            return unread
        text = str(value).strip()
        if control_in(text) is not None:
            _say(dispatcher, "message_cancelled")
            return {MESSAGE_TEXT: PAUSED}
        if not text:
            return {MESSAGE_TEXT: None}
        _pass_on(dispatcher, tracker, text)
        return {MESSAGE_TEXT: DONE}


class ActionCarerMessageFormEnded(Action):
    def name(self) -> str:
        return "action_carer_message_form_ended"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        return [SlotSet(MESSAGE_TEXT, None), SlotSet(MESSAGE_OPEN, None)]


class ActionCarerSupport(Action):
    """Support for carers: one topic, or the list of topics as choices."""

    def name(self) -> str:
        return "action_carer_support"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        content = carers.carers_content()
        topic = carers.support_topic_in(message_text(tracker))
        if topic is None:
            buttons = [
                {"title": t.title, "payload": PEER_SUPPORT_PAYLOAD if t.id == "peer_support" else t.title}
                for t in content.topics
            ]
            dispatcher.utter_message(text=content.support_intro, buttons=buttons)
            dispatcher.utter_message(text=content.support_hint)
            return []
        dispatcher.utter_message(text=topic.text)
        if topic.id == "crisis":
            dispatcher.utter_message(response="utter_crisis_contacts")
        return []


# -- the person who shares -------------------------------------------------------------------


def _relation_of(tracker: Tracker) -> str | None:
    return carers.relation_in(message_text(tracker))


class ActionCarerShareStart(Action):
    """ "Share with my mum": a one-time code for them, then which parts they may see."""

    def name(self) -> str:
        return "action_carer_share_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        relation = _relation_of(tracker)
        with unit_of_work() as session:
            made = carers.make_code(session, person_for_tracker(session, tracker).id, relation, _now())
        _say(dispatcher, "code_made", code=made.code, hours=made.hours, **carers.name_phrases(relation))
        return [SlotSet(LINK_SLOT, made.link_id), SlotSet(ACCESS_ANSWER, None), SlotSet(ACCESS_UNCLEAR, 0.0)]


class ActionCarerAccessChange(Action):
    """ "Change what my mum can see": which carer, then the same question."""

    def name(self) -> str:
        return "action_carer_access_change"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            views = carers.links_of(session, person_for_tracker(session, tracker).id, _now())
        if not views:
            _say(dispatcher, "list_none")
            return [SlotSet(LINK_SLOT, None)]
        chosen = carers.choose_link(views, message_text(tracker))
        if chosen is None:
            _which_one(dispatcher, views)
            return [SlotSet(LINK_SLOT, None)]
        return [SlotSet(LINK_SLOT, chosen.link_id), SlotSet(ACCESS_ANSWER, None), SlotSet(ACCESS_UNCLEAR, 0.0)]


def _which_one(dispatcher: CollectingDispatcher, views) -> None:
    names = [view.relation or carers.carers_content().text("someone") for view in views]
    example = next((view.relation for view in views if view.relation), None)
    _say(
        dispatcher,
        "which_one",
        names=carers.join_for_reading(names),
        **{"my_name": carers.name_phrases(example)["my_name"]},
    )


class ActionAskCarerAccessAnswer(Action):
    def name(self) -> str:
        return "action_ask_carer_access_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        _say(dispatcher, "access_ask")
        return []


class ValidateCarerAccessForm(FormValidationAction):
    def name(self) -> str:
        return "validate_carer_access_form"

    def validate_carer_access_answer(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if value is None or value in SENTINELS:
            return {ACCESS_ANSWER: value}
        if not_an_answer(tracker):
            return {ACCESS_ANSWER: None}  # never read as an answer; its own rule or CrisisPolicy replies
        answer = carers.read_access_answer(str(value))
        link_id = tracker.get_slot(LINK_SLOT)
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            link = carers.link_for(session, person_id, link_id)
            names = carers.name_phrases(link.name if link else None)
            if link is None:
                _say(dispatcher, "access_paused", **names)
                return {ACCESS_ANSWER: PAUSED}
            linked = link.carer_person_id is not None
            if answer.reply is AccessReply.stop:
                _say(dispatcher, "access_paused", **names)
                return {ACCESS_ANSWER: PAUSED}
            if answer.reply is AccessReply.unclear:
                unclear = int(tracker.get_slot(ACCESS_UNCLEAR) or 0) + 1
                if unclear > UNCLEAR_BEFORE_LEAVING:
                    _say(dispatcher, "access_gave_up", **names)
                    return {ACCESS_ANSWER: PAUSED}
                _say(dispatcher, "access_unclear")
                return {ACCESS_ANSWER: None, ACCESS_UNCLEAR: float(unclear)}
            categories = answer.categories if answer.reply is AccessReply.parts else ()
            chosen = carers.set_access(session, person_id, link.id, categories, channel=channel(tracker), now=_now())
        if not chosen:
            _say(dispatcher, "access_nothing", **names)
        else:
            _say(
                dispatcher,
                "access_set" if linked else "access_set_waiting",
                categories=carers.category_names(chosen),
                **names,
            )
        return {ACCESS_ANSWER: DONE}


class ActionCarerAccessFormEnded(Action):
    def name(self) -> str:
        return "action_carer_access_form_ended"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        return [SlotSet(ACCESS_ANSWER, None), SlotSet(ACCESS_UNCLEAR, 0.0), SlotSet(LINK_SLOT, None)]


class ActionCarerAccessList(Action):
    """ "Who have I linked?": each carer and what they can see now."""

    def name(self) -> str:
        return "action_carer_access_list"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            views = carers.links_of(session, person_for_tracker(session, tracker).id, _now())
        if not views:
            _say(dispatcher, "list_none")
            return []
        for view in views:
            names = carers.name_phrases(view.relation)
            if not view.linked:
                _say(dispatcher, "list_waiting", **names)
            if view.categories:
                _say(dispatcher, "list_sees", categories=carers.category_names(view.categories), **names)
            elif view.linked:
                _say(dispatcher, "list_sees_nothing", **names)
        _say(dispatcher, "list_how", **carers.name_phrases(next((v.relation for v in views if v.relation), None)))
        return []


class ActionCarerAccessRemove(Action):
    """ "Stop sharing with my mum": the link ends and everything is withdrawn, at once."""

    def name(self) -> str:
        return "action_carer_access_remove"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            views = carers.links_of(session, person_id, _now())
            chosen = carers.choose_link(views, message_text(tracker)) if views else None
            if chosen is not None:
                carers.remove_chosen(session, person_id, views, chosen, channel=channel(tracker), now=_now())
        if not views:
            _say(dispatcher, "list_none")
        elif chosen is None:
            _which_one(dispatcher, views)
        else:
            _say(dispatcher, "removed", **carers.name_phrases(chosen.relation))
        return []
