"""The safety turns, scripted, outranking every other policy, inside any form.

Rasa lets an active form run before any rule, and a form asks the action server to validate
the message first. If that call fails, the form simply listens again and the person who just
wrote something alarming hears nothing. So these turns are not left to rules. When the message
is a crisis (intent `crisis`, set by the CrisisDetector), this policy predicts, in order:

1. `utter_crisis` - a plain response: it needs no action server and no database;
2. `action_deactivate_loop` - only if a form is active, so the message is never saved as an
   answer and nothing said next is taken as one either (the form's name is kept in the
   `interrupted_loop` slot so "that's not what I meant" or "carry on" can resume it);
3. `action_crisis_follow_up` - optional extras (offer the crisis plan, how to resume); if it
   fails, the person already has the contacts;
4. `action_listen`.

Possible risk (intent `possible_risk`): `utter_possible_risk` (the contacts and "Are you safe
right now?", also a plain response), then listen; a form stays as it was. The answer:
- "yes", "i'm safe" (bot/services/crisis/context.py `reassures`), or "that's not what I
  meant": thanked (`utter_thanks_for_saying_safe`), then the form asks its question again, or
  the conversation listens;
- anything else, more risk language included: the crisis turn above;
- "stop": stops, as always.
Either way what the answer put into a form's slots is taken back: it was not an answer.

A goodbye after low mood or risk language in this conversation gets `utter_goodbye_gentle`
(the crisis contacts one word away), never the cheerful goodbye. Inside a form a goodbye counts
only when the NLU is sure of it and it is not the form's own steering word ("done", "later"):
otherwise it is the form's answer or instruction.

Its predictions are marked "no user prediction" with the highest priority, which is how Rasa
ranks a form's own happy path: so they win over forms as well as rules.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.services.crisis.context import reassures, steers_a_form, wants_gentle_goodbye

CRISIS_INTENT = "crisis"
POSSIBLE_INTENT = "possible_risk"
CRISIS_REPLY = "utter_crisis"
POSSIBLE_REPLY = "utter_possible_risk"
SAFE_REPLY = "utter_thanks_for_saying_safe"
GENTLE_GOODBYE = "utter_goodbye_gentle"
FOLLOW_UP = "action_crisis_follow_up"
INTERRUPTED_LOOP_SLOT = "interrupted_loop"
RETRACTION_INTENT = "not_what_i_meant"
GOODBYE_INTENT = "goodbye"
LEAVE_ALONE_INTENTS = ("stop",)  # answers to "Are you safe right now?" that the usual rules take
# Inside a form, any text may be the answer ("fireworks night" as a trigger reads a little like
# "good night"), so a goodbye there gets the gentle goodbye only when the NLU is this sure of it.
GOODBYE_IN_FORM_CONFIDENCE = 0.8
CRISIS_POLICY_PRIORITY = 7  # above RulePolicy (6), so it wins ties with a form's happy path


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class CrisisPolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": CRISIS_POLICY_PRIORITY}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain, rule_only_data: dict | None = None, **kwargs: Any
    ) -> PolicyPrediction:
        kind = _turn_kind(tracker)
        step = _next_step(tracker, kind) if kind else None
        if step is None:
            return self._prediction(self._default_predictions(domain))
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(step)] = 1.0
        events: list[Event] = []
        if step == ACTION_DEACTIVATE_LOOP_NAME and tracker.active_loop_name in self._resumable_loops(domain):
            events.append(SlotSet(INTERRUPTED_LOOP_SLOT, tracker.active_loop_name))
        if step in (SAFE_REPLY, CRISIS_REPLY) and _answers_safety_question(tracker):
            events += _slots_taken_back(tracker, domain)
        return self._prediction(probabilities, events=events, is_no_user_prediction=True)

    @staticmethod
    def _resumable_loops(domain: Domain) -> list:
        slot = next((s for s in domain.slots if s.name == INTERRUPTED_LOOP_SLOT), None)
        return list(getattr(slot, "values", []) or [])


def _turn_kind(tracker: DialogueStateTracker) -> str | None:
    """Which safety turn the latest message calls for: crisis, possible, safe, gentle_goodbye."""
    latest = tracker.latest_message
    if latest is None:
        return None
    intent = latest.intent.get("name")
    if intent == CRISIS_INTENT:
        return "crisis"
    if _answers_safety_question(tracker):
        if intent in LEAVE_ALONE_INTENTS:
            return None
        if intent != POSSIBLE_INTENT and (intent == RETRACTION_INTENT or reassures(latest.text or "")):
            return "safe"
        return "crisis"
    if intent == POSSIBLE_INTENT:
        return "possible"
    if _is_goodbye(tracker) and wants_gentle_goodbye(_earlier_messages(tracker)):
        return "gentle_goodbye"
    return None


def _is_goodbye(tracker: DialogueStateTracker) -> bool:
    """Whether the latest message is a goodbye, not a form's answer or steering word."""
    latest = tracker.latest_message
    if latest is None or latest.intent.get("name") != GOODBYE_INTENT:
        return False
    if not tracker.active_loop_name:
        return True
    if steers_a_form(latest.text or "", form_active=True):
        return False
    return float(latest.intent.get("confidence") or 0.0) >= GOODBYE_IN_FORM_CONFIDENCE


def _next_step(tracker: DialogueStateTracker, kind: str) -> str | None:
    """Where the turn's script stands since the latest message (None once it is done)."""
    done = _since_latest_message(tracker)
    if kind == "crisis":
        script = [CRISIS_REPLY]
        if tracker.active_loop_name or ACTION_DEACTIVATE_LOOP_NAME in done:
            script.append(ACTION_DEACTIVATE_LOOP_NAME)
        script += [FOLLOW_UP, ACTION_LISTEN_NAME]
    elif kind == "possible":
        script = [POSSIBLE_REPLY, ACTION_LISTEN_NAME]
    elif kind == "safe":
        # The form asks its question again (it does not validate after a bot action); its own
        # happy path then listens.
        script = [SAFE_REPLY, tracker.active_loop_name or ACTION_LISTEN_NAME]
    else:
        script = [GENTLE_GOODBYE, ACTION_LISTEN_NAME]
    return next((step for step in script if step not in done), None)


def _since_latest_message(tracker: DialogueStateTracker) -> list[str]:
    done = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name:
            done.append(event.action_name)
    return done


def _answers_safety_question(tracker: DialogueStateTracker) -> bool:
    """Whether the latest message answers "Are you safe right now?": the last thing the bot did
    before it was to ask."""
    seen_message = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if seen_message:
                return False
            seen_message = True
        elif seen_message and isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return event.action_name == POSSIBLE_REPLY
    return False


def _earlier_messages(tracker: DialogueStateTracker) -> list[tuple[str, str]]:
    """This session's messages before the latest, (intent, text)."""
    messages: list[tuple[str, str]] = []
    seen_latest = False
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        if isinstance(event, UserUttered):
            if seen_latest:
                messages.append(((event.intent or {}).get("name") or "", event.text or ""))
            seen_latest = True
    return messages[::-1]


def _slots_taken_back(tracker: DialogueStateTracker, domain: Domain) -> list[Event]:
    """Slots the answer to "Are you safe right now?" filled (a form takes any text as its
    answer), set back to what they were: it was an answer to us, not to the form."""
    changed: list[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, SlotSet) and event.key not in changed:
            changed.append(event.key)
    if not changed:
        return []
    before: dict[str, Any] = {}
    passed_message = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            passed_message = True
        elif passed_message and isinstance(event, SlotSet) and event.key in changed and event.key not in before:
            before[event.key] = event.value
    initial = {slot.name: slot.initial_value for slot in domain.slots}
    return [SlotSet(key, before.get(key, initial.get(key))) for key in changed]
