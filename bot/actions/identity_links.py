"""One identity: ask for a code on one channel, send it from the other (rules in
bot/services/people/identity_links.py). The words are responses in bot/domain/identity_links.yml."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.tracker_person import identity_for_tracker
from bot.actions.turn import message_source
from bot.common.clock import utc_now
from bot.services.people.identity_links import LinkResult, make_code, redeem
from bot.services.people.plan_merge import PlanOutcome
from bot.settings import public_base_url
from bot.store.db import unit_of_work

CODE_RESPONSES = {"webchat": "utter_link_code_from_web", "sms": "utter_link_code_from_sms"}
RESULT_RESPONSES = {
    LinkResult.already_linked: "utter_link_already",
    LinkResult.same_place: "utter_link_same_place",
    LinkResult.no_code: "utter_link_no_code",
    LinkResult.wrong: "utter_link_wrong_code",
    LinkResult.expired: "utter_link_code_expired",
    LinkResult.used: "utter_link_code_used",
    LinkResult.too_many_tries: "utter_link_too_many_tries",
}
LINKED_RESPONSES = {
    PlanOutcome.none: "utter_link_done",
    PlanOutcome.moved: "utter_link_done_plan_moved",
    PlanOutcome.combined: "utter_link_done_plans_combined",
}


class ActionLinkMakeCode(Action):
    def name(self) -> str:
        return "action_link_make_code"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            made = make_code(session, identity_for_tracker(session, tracker), utc_now())
        dispatcher.utter_message(
            response=CODE_RESPONSES.get(tracker.get_latest_input_channel(), "utter_link_code"),
            link_code=made.code,
            link_minutes=str(made.minutes),
            chat_url=f"{public_base_url()}/webhooks/webchat/",
        )
        return []


class ActionLinkEnterCode(Action):
    def name(self) -> str:
        return "action_link_enter_code"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        with unit_of_work() as session:
            outcome = redeem(session, identity_for_tracker(session, tracker), text, utc_now(), message_source(tracker))
        if outcome.result is LinkResult.linked and outcome.plan is not None:
            dispatcher.utter_message(response=LINKED_RESPONSES[outcome.plan])
        else:
            dispatcher.utter_message(response=RESULT_RESPONSES[outcome.result])
        return []
