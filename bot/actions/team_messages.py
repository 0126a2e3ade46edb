"""A person's own message for their care coordinator: Rasa-facing and thin (the rules are in
bot/services/coordination/team_messages.py, the words in content/team_messages.yml).

Started from "leave a message for my team" (the carers' message intent, when the speaker is not
a carer: bot/actions/carers.py hands over), with the words already in the message or taken from
a message Alongside could not understand just before. A two-slot form asks for the words if
there are none yet, then always asks "Shall I send this to Sam?" with them; only a yes sends.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.guided import PAUSED, unread_answer
from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import channel, say
from bot.common.clock import utc_now
from bot.services.coordination import team_messages
from bot.services.coordination.team_messages_content import WORDS_ROOM, load_team_messages_content
from bot.services.feelings.replies import shortened
from bot.services.guided.controls import control_in
from bot.services.people.coordinators import coordinator_for
from bot.store.db import unit_of_work

OPEN_SLOT, TEXT_SLOT, ANSWER_SLOT = "team_message_open", "team_message_text", "team_message_answer"
YES, NO = "yes", "no"


def _coordinator_name(tracker: Tracker) -> str | None:
    with unit_of_work() as session:
        found = coordinator_for(session, person_for_tracker(session, tracker).id)
        return found.display_name if found else None


def start(dispatcher: CollectingDispatcher, tracker: Tracker, words: str | None) -> list:
    """Open the form with the words so far (None: it asks for them), or say honestly that
    there is nobody to send them to."""
    if _coordinator_name(tracker) is None:
        content = load_team_messages_content()
        say(dispatcher, content, "no_coordinator")
        say(dispatcher, content, "not_watched")
        return [SlotSet(OPEN_SLOT, False)]
    return [SlotSet(OPEN_SLOT, True), SlotSet(TEXT_SLOT, words), SlotSet(ANSWER_SLOT, None)]


class ActionAskTeamMessageText(Action):
    def name(self) -> str:
        return "action_ask_team_message_text"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        say(dispatcher, load_team_messages_content(), "ask", coordinator=_coordinator_name(tracker) or "")
        return []


class ActionAskTeamMessageAnswer(Action):
    """ "Shall I send this to Sam?" with their words: the consent for this one message."""

    def name(self) -> str:
        return "action_ask_team_message_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        content = load_team_messages_content()
        words = shortened(str(tracker.get_slot(TEXT_SLOT) or ""), WORDS_ROOM)
        dispatcher.utter_message(
            text=content.text("confirm", coordinator=_coordinator_name(tracker) or "", words=words),
            buttons=[
                {"title": content.text("yes_button"), "payload": "/affirm"},
                {"title": content.text("no_button"), "payload": "/deny"},
            ],
        )
        return []


class ValidateTeamMessageForm(FormValidationAction):
    def name(self) -> str:
        return "validate_team_message_form"

    def validate_team_message_text(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        unread = unread_answer(value, tracker, TEXT_SLOT)  # crisis words are never sent as a message
        if unread is not None:
            return unread
        text = str(value).strip()
        if control_in(text) is not None:
            say(dispatcher, load_team_messages_content(), "not_sent")
            return {TEXT_SLOT: PAUSED, ANSWER_SLOT: PAUSED}
        return {TEXT_SLOT: text or None}

    def validate_team_message_answer(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        content = load_team_messages_content()
        if value == YES:
            with unit_of_work() as session:
                result = team_messages.send(
                    session,
                    person_for_tracker(session, tracker).id,
                    str(tracker.get_slot(TEXT_SLOT) or ""),
                    channel=channel(tracker),
                    now=utc_now(),
                )
            if result.outcome is team_messages.SendOutcome.sent:
                say(dispatcher, content, "sent", coordinator=result.coordinator_name or "")
            else:  # the coordinator left the caseload between the question and the yes
                say(dispatcher, content, "no_coordinator")
            say(dispatcher, content, "not_watched")
            return {ANSWER_SLOT: YES}
        if value == NO:
            say(dispatcher, content, "not_sent")
            return {ANSWER_SLOT: NO}
        return {ANSWER_SLOT: value}


class ActionTeamMessageFormEnded(Action):
    def name(self) -> str:
        return "action_team_message_form_ended"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        return [SlotSet(TEXT_SLOT, None), SlotSet(ANSWER_SLOT, None), SlotSet(OPEN_SLOT, None)]
