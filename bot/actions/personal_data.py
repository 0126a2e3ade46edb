"""Seeing, downloading and deleting your data, from the conversation (UK GDPR rights)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.tracker_person import person_for_tracker
from bot.common.clock import utc_now
from bot.services.privacy.erasure import request_erasure
from bot.services.privacy.personal_data import collect
from bot.services.wrap.export_links import DATA_EXPORT, EXPORT_LINK_MINUTES, make_export_token
from bot.settings import public_base_url
from bot.store.db import unit_of_work


class ActionMyDataSummary(Action):
    def name(self) -> str:
        return "action_my_data_summary"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            data = collect(session, person_for_tracker(session, tracker).id)
        plan_answers = sum(1 for item in data.tables.get("wrap_items", []) if not item.get("removed_at"))
        dispatcher.utter_message(
            response="utter_my_data_summary",
            plan_answers=plan_answers,
            consents=data.count("consent_records"),
            messages=len(data.conversation),
        )
        return []


class ActionMyDataDownload(Action):
    def name(self) -> str:
        return "action_my_data_download"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
        token = make_export_token(person_id, utc_now(), purpose=DATA_EXPORT)
        url = f"{public_base_url()}/webhooks/plan/data/{token}"
        dispatcher.utter_message(response="utter_my_data_link", url=url, minutes=EXPORT_LINK_MINUTES)
        return []


class ActionDeleteMyData(Action):
    """The person said yes to deleting everything: it goes now, before the reply; the worker
    clears the conversation history once this turn is saved (bot/services/privacy/erasure.py)."""

    def name(self) -> str:
        return "action_delete_my_data"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            request_erasure(session, person_for_tracker(session, tracker).id)
        dispatcher.utter_message(response="utter_my_data_deleted")
        return []
