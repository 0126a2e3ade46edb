"""Answering "what is ...?" from content/information.yml."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.care_coordination import coordinator_name
from bot.services.information import tour
from bot.services.information.explanations import load_information, piece_for


class ActionExplain(Action):
    def name(self) -> str:
        return "action_explain"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        piece = piece_for((tracker.latest_message or {}).get("text") or "")
        dispatcher.utter_message(text=piece.answer if piece else load_information()[1])  # with its source
        if piece and piece.id.startswith("care_coordination"):
            name = coordinator_name(tracker)  # personalised where we know who it is
            if name:
                dispatcher.utter_message(text=tour.content().text("your_coordinator", name=name))
        return []
