"""Not understood: "Did you mean...?" first, then an honest second stage (issue 18.2). The rules
are in bot/services/feelings/fallback.py and the words in content/fallback.yml."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.services.feelings import fallback
from bot.store.models import Role

FALLBACK_ACTION = "action_fallback"
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
            carer = tracker.get_slot("role") == Role.carer.value
            first = content.texts["still_not" if before == FALLBACK_ACTION else "not_at_all"]
            dispatcher.utter_message(text=f"{first} {content.texts['ways_carer' if carer else 'ways']}")
        dispatcher.utter_message(text=content.texts["crisis_hint"])
        return []
