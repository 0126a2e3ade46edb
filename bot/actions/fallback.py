"""Not understood: "Did you mean...?" first, then an honest second stage (issue 18.2). The rules
are in bot/services/feelings/fallback.py and the words in content/fallback.yml."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import is_a_button
from bot.services.feelings import fallback
from bot.services.people.coordinators import coordinator_for
from bot.store.db import unit_of_work
from bot.store.models import Role

FALLBACK_ACTION = "action_fallback"
# "Send it to my team": the message intent, which hands a person over to their own message.
SEND_INTENT = "carer_leave_message"
_NOT_A_STEP = {"action_listen", "action_extract_slots", "action_session_start"}


def previous_action(tracker: Tracker) -> str | None:
    """What Alongside last did before the message it is answering now."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                continue
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") not in _NOT_A_STEP:
            return event.get("name")
    return None


def _ways(tracker: Tracker) -> str:
    """What the second stage offers: a carer can leave a message for the person's team; a
    person with a coordinator can send their own words to them (bot/actions/team_messages.py)."""
    if tracker.get_slot("role") == Role.carer.value:
        return "ways_carer"
    with unit_of_work() as session:
        has_coordinator = coordinator_for(session, person_for_tracker(session, tracker).id) is not None
    return "ways_team" if has_coordinator else "ways"


def words_left_unanswered(tracker: Tracker) -> str | None:
    """What the person typed that Alongside could not understand just before this message
    (the latest such words, not a "Something else" button), so they can be passed to the care
    team instead of being lost. None when the message before this one was understood."""
    first_step_after: str | None = None  # walking back, the step Alongside took after a message
    messages_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") not in _NOT_A_STEP:
            first_step_after = event.get("name")
        elif event.get("event") == "user":
            messages_seen += 1
            if messages_seen > 1:  # the first one back is the message being answered now
                if first_step_after != FALLBACK_ACTION:
                    return None
                text = str(event.get("text") or "").strip()
                if text and not is_a_button(text):
                    return text
            first_step_after = None
    return None


class ActionFallback(Action):
    def name(self) -> str:
        return FALLBACK_ACTION

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        content = fallback.load_fallback_content()
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        guesses = fallback.best_guesses(ranking, content)
        before = previous_action(tracker)
        stage = fallback.stage(before, guesses, FALLBACK_ACTION)
        fallback.count(stage, guesses)
        if stage == fallback.FIRST:
            buttons = [{"title": guess.title, "payload": f"/{guess.intent}"} for guess in guesses]
            buttons.append({"title": content.texts["something_else"], "payload": f"/{fallback.SOMETHING_ELSE_INTENT}"})
            dispatcher.utter_message(text=content.texts["did_you_mean"], buttons=buttons)
        else:
            first = content.texts["still_not" if before == FALLBACK_ACTION else "not_at_all"]
            ways = _ways(tracker)
            buttons = (
                [{"title": content.texts["send_button"], "payload": f"/{SEND_INTENT}"}] if ways == "ways_team" else []
            )
            dispatcher.utter_message(text=f"{first} {content.texts[ways]}", buttons=buttons)
        dispatcher.utter_message(text=content.texts["crisis_hint"])
        return []
