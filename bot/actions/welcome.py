"""Greeting and "who is this for?": asked once, remembered across sessions and channels."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import message_text
from bot.services.carers.carers import worry_heard
from bot.services.messaging.notices import take_unseen
from bot.services.people.lookup import set_role
from bot.services.recovery import checkins
from bot.store.db import unit_of_work
from bot.store.models import Role

CHAT_ROLES = {Role.service_user.value, Role.carer.value}


class ActionGreet(Action):
    """New people hear what Alongside is and are asked who it is for; others are welcomed back."""

    def name(self) -> str:
        return "action_greet"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            person = person_for_tracker(session, tracker)
            stored_role = person.role.value
            # Messages kept for them while away, e.g. "Sam has read your triggers" when they
            # could not be texted (bot/services/messaging/notices.py).
            notices = take_unseen(session, person.id)
            # A check-in that could not be texted (or was not answered) is asked now.
            checkin_waiting = checkins.offer_in_chat(session, person.id) is not None
        role = tracker.get_slot("role") or (stored_role if stored_role in CHAT_ROLES else None)
        if role is None:
            dispatcher.utter_message(response="utter_greet_new")
            dispatcher.utter_message(response="utter_ask_role")
            return []
        dispatcher.utter_message(response="utter_greet_returning")
        for notice in notices:
            dispatcher.utter_message(text=notice)
        if checkin_waiting:
            dispatcher.utter_message(text=checkins.content().text("checkin_in_chat"))
        else:
            dispatcher.utter_message(response="utter_menu")
        return [SlotSet("role", role)]


class ActionRememberRole(Action):
    """Save the role the slot mapping just set, so other sessions and channels know it.

    A carer who says who they support with a worry ("my daughter won't talk to me") hears the
    worry said back first (content/carers.yml, worries_heard), then the carer options."""

    def name(self) -> str:
        return "action_remember_role"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        role = tracker.get_slot("role")
        if role not in CHAT_ROLES:
            dispatcher.utter_message(response="utter_ask_role")
            return []
        with unit_of_work() as session:
            set_role(session, person_for_tracker(session, tracker), Role(role))
        heard = worry_heard(message_text(tracker)) if role == Role.carer.value else None
        if heard:
            dispatcher.utter_message(text=heard)
        dispatcher.utter_message(response=f"utter_role_noted_{role}")
        dispatcher.utter_message(response="utter_menu")
        return []
