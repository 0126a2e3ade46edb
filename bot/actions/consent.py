"""Sharing the plan with a care coordinator, in conversation: asked, never assumed.

After a finished part of the plan (if the person has a coordinator and has not said no), or
when they ask ("share my triggers with my coordinator"), Alongside names the coordinator, shows
exactly what would be shared (the saved items, a page at a time) and asks yes / no / not now in
`consent_form`. The answer is read by bot/services/consent/answers.py and acted on by
bot/services/consent/sharing.py and consent.py, which hold the rules. A crisis message pauses the form
like any other (CrisisPolicy); "carry on" asks again. Nothing is shared or recorded until the
person answers.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import turn
from bot.actions.guided import not_an_answer
from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import intent, message_text, page_chars, say
from bot.common.clock import uk_date
from bot.services.consent import ledger as consent
from bot.services.consent import sharing
from bot.services.consent.answers import (
    Reply,
    categories_named,
    read_answer,
    requested_categories,
    withdrawal_categories,
)
from bot.services.consent.content import CATEGORY_IDS, load_consent_content
from bot.services.wrap import plan as wrap
from bot.services.wrap.content import load_wrap_content
from bot.services.wrap.export import plan_pages
from bot.store.consent_models import RecipientKind
from bot.store.db import unit_of_work

OFFER, ANSWER, CATEGORIES = "consent_offer", "consent_answer", "consent_categories"
OFFER_SLOT = OFFER
AFTER_SECTION, STEP, PAGE, UNCLEAR = "consent_after_section", "consent_step", "consent_page", "consent_unclear"
INTERRUPTED_SLOT = "interrupted_loop"
DONE = "done"
STEP_PAGE, STEP_CHOICES = "page", "choices"
UNCLEAR_BEFORE_LEAVING = 2


def _say(dispatcher: CollectingDispatcher, text_id: str, **values: str) -> None:
    say(dispatcher, load_consent_content(), text_id, **values)


def _names(categories) -> str:
    return load_consent_content().names(categories)


def _open_question(categories: list[str], after_section: bool) -> list:
    """Slots that make the rules open consent_form on these categories."""
    return [
        SlotSet(OFFER, True),
        SlotSet(CATEGORIES, categories),
        SlotSet(AFTER_SECTION, after_section),
        SlotSet(ANSWER, None),
        SlotSet(STEP, None),
        SlotSet(PAGE, 0.0),
        SlotSet(UNCLEAR, 0.0),
    ]


def _question_wording(coordinator: consent.Coordinator, categories: list[str]) -> str:
    """The question whose exact words are stored with the answer."""
    return load_consent_content().text("ask", categories=_names(categories), coordinator=coordinator.display_name)


def offer_after_section(dispatcher: CollectingDispatcher, tracker: Tracker, section_id: str | None) -> list | None:
    """After a finished section: the events that ask about sharing it, or None to carry on as
    usual (no coordinator, nothing saved, already shared, or a "no" or "not now" that stands)."""
    if not section_id:
        return None
    with unit_of_work() as session:
        person_id = person_for_tracker(session, tracker).id
        coordinator = consent.coordinator_for(session, person_id)
        if coordinator is None or not sharing.categories_with_items(session, person_id, [section_id]):
            return None
        if section_id in consent.active_categories(session, person_id, coordinator.person_id):
            _say(
                dispatcher,
                "already_shared_after_section",
                coordinator=coordinator.display_name,
                categories=_names([section_id]),
            )
            return None
        if not consent.may_ask(session, person_id, coordinator.person_id, section_id):
            return None
    return _open_question([section_id], after_section=True)


class ActionConsentStart(Action):
    """ "Share my triggers with my coordinator": work out what to ask about, or say why not."""

    def name(self) -> str:
        return "action_consent_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        requested = list(requested_categories(message_text(tracker), CATEGORY_IDS))
        nothing = [SlotSet(OFFER, False)]
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            coordinator = consent.coordinator_for(session, person_id)
            with_items = sharing.categories_with_items(session, person_id, requested)
            active = consent.active_categories(session, person_id, coordinator.person_id) if coordinator else set()
        if coordinator is None:
            _say(dispatcher, "no_coordinator")
            _say(dispatcher, "no_coordinator_meanwhile")
            return nothing
        if not with_items:
            if set(requested) >= {section.id for section in load_wrap_content().sections}:
                dispatcher.utter_message(text=load_wrap_content().text("nothing_saved_yet"))
            else:
                _say(dispatcher, "nothing_to_share", categories=_names(requested))
            return nothing
        already = [c for c in with_items if c in active]
        if already:
            _say(dispatcher, "already_shared", coordinator=coordinator.display_name, categories=_names(already))
        to_offer = [c for c in with_items if c not in active]
        return _open_question(to_offer, after_section=False) if to_offer else nothing


class ActionAskConsentAnswer(Action):
    """Ask the question: what would be shared (a page at a time), then yes / no / not now."""

    def name(self) -> str:
        return "action_ask_consent_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        step = tracker.get_slot(STEP)
        if step == STEP_CHOICES:
            dispatcher.utter_message(response="utter_consent_choices")
            return []
        categories = list(tracker.get_slot(CATEGORIES) or [])
        size = page_chars(tracker)
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            coordinator = consent.coordinator_for(session, person_id)
            pages = plan_pages(sharing.shared_items(session, person_id, categories), max_chars=size)
            lapsed = {}
            if coordinator is not None:
                for category in consent.needs_review(session, person_id, coordinator.person_id):
                    granted = consent.granted_on(session, person_id, coordinator.person_id, category)
                    if category in categories and granted is not None:
                        lapsed[category] = granted
        name = coordinator.display_name if coordinator else ""
        index = min(int(tracker.get_slot(PAGE) or 0), max(len(pages) - 1, 0))
        if step != STEP_PAGE:
            if lapsed:
                _say(
                    dispatcher,
                    "ask_review",
                    date=uk_date(min(lapsed.values())),
                    categories=_names(lapsed),
                    coordinator=name,
                )
            _say(dispatcher, "ask_intro", coordinator=name)
        if pages:
            dispatcher.utter_message(text=pages[index])
            if index + 1 < len(pages):
                dispatcher.utter_message(
                    text=load_wrap_content().text("more_pages", page=str(index + 1), pages=str(len(pages)))
                )
        if step != STEP_PAGE and coordinator is not None:
            dispatcher.utter_message(text=_question_wording(coordinator, categories))
            if len(categories) > 1:
                _say(dispatcher, "ask_some")
        dispatcher.utter_message(response="utter_consent_choices")
        return []


class ValidateConsentForm(FormValidationAction):
    """Act on the answer at once: share, record the no, page on, or ask again (twice at most)."""

    def name(self) -> str:
        return "validate_consent_form"

    def validate_consent_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if value is None or value == DONE:
            return {ANSWER: value}
        if not_an_answer(tracker):
            return {ANSWER: None}  # CrisisPolicy, or the code's own rule, replies; nothing is decided
        offered = list(tracker.get_slot(CATEGORIES) or [])
        with unit_of_work() as session:
            coordinator = consent.coordinator_for(session, person_for_tracker(session, tracker).id)
        name = coordinator.display_name if coordinator else ""
        answer = read_answer(str(value), offered, intent=intent(tracker), coordinator_name=name)
        if answer.reply is Reply.more:
            return {ANSWER: None, STEP: STEP_PAGE, PAGE: float(int(tracker.get_slot(PAGE) or 0) + 1)}
        if answer.reply in (Reply.unclear, Reply.not_offered):
            return self._ask_again(answer, offered, dispatcher, tracker)
        finished = {ANSWER: DONE, INTERRUPTED_SLOT: None, UNCLEAR: 0.0}
        if answer.reply is Reply.stop:
            _say(dispatcher, "stopped")
            return finished
        self._decide(answer, offered, dispatcher, tracker)
        return finished

    @staticmethod
    def _ask_again(answer, offered, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        count = (tracker.get_slot(UNCLEAR) or 0.0) + 1
        if count > UNCLEAR_BEFORE_LEAVING:
            _say(dispatcher, "unclear_gave_up")
            return {ANSWER: DONE, INTERRUPTED_SLOT: None, UNCLEAR: 0.0}
        if answer.reply is Reply.not_offered:
            _say(dispatcher, "only_these", categories=_names(offered))
        else:
            _say(dispatcher, "unclear")
        return {ANSWER: None, STEP: STEP_CHOICES, UNCLEAR: count}

    @staticmethod
    def _decide(answer, offered: list[str], dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        channel = turn.channel(tracker)
        content = load_consent_content()
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            coordinator = consent.coordinator_for(session, person_id)
            if coordinator is None:  # taken off the caseload since we asked
                _say(dispatcher, "no_coordinator")
                _say(dispatcher, "no_coordinator_meanwhile")
                return
            wording = _question_wording(coordinator, offered)
            chosen = list(answer.categories) if answer.reply in (Reply.yes, Reply.some) else []
            left_out = [c for c in offered if c not in chosen]
            if chosen:
                sharing.share_with_coordinator(session, person_id, chosen, channel, wording=wording)
            if left_out:
                consent.decline(session, person_id, coordinator.person_id, left_out, wording=wording, channel=channel)
            ask_again_on = uk_date(consent.review_date())
        name = coordinator.display_name
        if chosen:
            dispatcher.utter_message(text=content.text("shared", coordinator=name, categories=_names(chosen)))
            if left_out:
                dispatcher.utter_message(text=content.text("not_shared", categories=_names(left_out)))
        elif answer.reply is Reply.not_now:
            dispatcher.utter_message(text=content.text("not_now"))
        else:
            dispatcher.utter_message(text=content.text("declined", date=ask_again_on))


class ActionConsentFormEnded(Action):
    """After the answer: back to the plan if the question came at the end of a part of it."""

    def name(self) -> str:
        return "action_consent_form_ended"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if tracker.get_slot(AFTER_SECTION):
            with unit_of_work() as session:
                plan = wrap.plan_for(session, person_for_tracker(session, tracker).id)
                next_question = wrap.resume_question_id(session, plan)
            if next_question:
                section = load_wrap_content().section_for_question(next_question)
                _say(dispatcher, "next_part", section=section.title)
            else:
                dispatcher.utter_message(text=load_wrap_content().text("plan_done"))
        return [
            SlotSet(OFFER, False),
            SlotSet(ANSWER, None),
            SlotSet(CATEGORIES, None),
            SlotSet(AFTER_SECTION, False),
            SlotSet(STEP, None),
            SlotSet(PAGE, None),
            SlotSet(UNCLEAR, None),
        ]


class ActionConsentWho(Action):
    """ "Who can see my plan?": everyone in the ledger and what they can see now."""

    def name(self) -> str:
        return "action_consent_who"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            overview = consent.sharing_overview(session, person_for_tracker(session, tracker).id)
        said = False
        for recipient in overview:
            name = recipient.name or ""
            if recipient.active:
                if recipient.kind == RecipientKind.coordinator:
                    _say(dispatcher, "who_coordinator", coordinator=name, categories=_names(recipient.active))
                else:
                    _say(dispatcher, "who_carer", categories=_names(recipient.active))
                said = True
            if recipient.to_review and recipient.kind == RecipientKind.coordinator:
                _say(dispatcher, "who_review", coordinator=name, categories=_names(recipient.to_review))
        if said:
            _say(dispatcher, "who_how_to_stop")
        elif not any(r.to_review for r in overview):
            _say(dispatcher, "who_nobody")
        return []


class ActionConsentWithdraw(Action):
    """ "Stop sharing my crisis plan": withdrawn at once, from everyone who could see it."""

    def name(self) -> str:
        return "action_consent_withdraw"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        text, channel = message_text(tracker), turn.channel(tracker)
        content = load_consent_content()
        confirmations = []
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            for recipient in consent.sharing_overview(session, person_id):
                granted = [c for c in CATEGORY_IDS if c in recipient.active | recipient.to_review]
                categories = withdrawal_categories(text, granted)
                if not categories:
                    continue
                if recipient.kind == RecipientKind.coordinator:
                    confirmation = content.text(
                        "withdrawn", coordinator=recipient.name or "", categories=_names(categories)
                    )
                else:
                    confirmation = content.text("withdrawn_carer", categories=_names(categories))
                consent.withdraw(
                    session,
                    person_id,
                    recipient.recipient_id,
                    categories,
                    wording=confirmation,
                    channel=channel,
                    recipient_kind=recipient.kind,
                )
                confirmations.append(confirmation)
        for confirmation in confirmations:
            dispatcher.utter_message(text=confirmation)
        if not confirmations:
            named = categories_named(text)
            mentioned = [c for c in CATEGORY_IDS if c in set(named.included) | set(named.excluded)]
            if mentioned and not named.everything:
                _say(dispatcher, "withdraw_nothing", categories=_names(mentioned))
            else:
                _say(dispatcher, "withdraw_nothing_at_all")
        return []
