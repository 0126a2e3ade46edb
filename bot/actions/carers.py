"""Carers: "what can I be told?" answered honestly."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.services.carers import what_a_carer_can_be_told


class ActionWhatCanIBeTold(Action):
    def name(self) -> str:
        return "action_what_can_i_be_told"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        for message in what_a_carer_can_be_told():
            dispatcher.utter_message(text=message)
        return []
