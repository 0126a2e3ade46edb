"""The crisis turn, scripted, outranking every other policy, inside any form.

Rasa lets an active form run before any rule, and a form asks the action server to validate
the message first. If that call fails, the form simply listens again and the person who just
wrote something alarming hears nothing. So the crisis turn is not left to rules: when the
message is a crisis (intent `crisis`, set by the CrisisDetector), this policy predicts, in order:

1. `utter_crisis` - a plain response: it needs no action server and no database;
2. `action_deactivate_loop` - only if a form is active, so the message is never saved as an
   answer and nothing said next is taken as one either (the form's name is kept in the
   `interrupted_loop` slot so "that's not what I meant" or "carry on" can resume it);
3. `action_crisis_follow_up` - optional extras (offer the crisis plan, how to resume); if it
   fails, the person already has the contacts;
4. `action_listen`.

Its predictions are marked "no user prediction" with the highest priority, which is how Rasa
ranks a form's own happy path: so they win over forms as well as rules.
"""
from __future__ import annotations

from typing import Any, List, Optional

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

CRISIS_INTENT = "crisis"
CRISIS_REPLY = "utter_crisis"
FOLLOW_UP = "action_crisis_follow_up"
INTERRUPTED_LOOP_SLOT = "interrupted_loop"
CRISIS_POLICY_PRIORITY = 7  # above RulePolicy (6), so it wins ties with a form's happy path


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class CrisisPolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": CRISIS_POLICY_PRIORITY}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain, rule_only_data: Optional[dict] = None, **kwargs: Any
    ) -> PolicyPrediction:
        step = self._next_step(tracker)
        if step is None:
            return self._prediction(self._default_predictions(domain))
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(step)] = 1.0
        events = []
        if step == ACTION_DEACTIVATE_LOOP_NAME and tracker.active_loop_name in self._resumable_loops(domain):
            events.append(SlotSet(INTERRUPTED_LOOP_SLOT, tracker.active_loop_name))
        return self._prediction(probabilities, events=events, is_no_user_prediction=True)

    @staticmethod
    def _resumable_loops(domain: Domain) -> list:
        slot = next((s for s in domain.slots if s.name == INTERRUPTED_LOOP_SLOT), None)
        return list(getattr(slot, "values", []) or [])

    @staticmethod
    def _next_step(tracker: DialogueStateTracker) -> Optional[str]:
        """Where the crisis script stands since the latest message, or None if not a crisis."""
        if tracker.latest_message is None or tracker.latest_message.intent.get("name") != CRISIS_INTENT:
            return None
        done = []
        for event in reversed(tracker.events):
            if isinstance(event, UserUttered):
                break
            if isinstance(event, ActionExecuted):
                done.append(event.action_name)
        script = [CRISIS_REPLY]
        if tracker.active_loop_name or ACTION_DEACTIVATE_LOOP_NAME in done:
            script.append(ACTION_DEACTIVATE_LOOP_NAME)
        script += [FOLLOW_UP, ACTION_LISTEN_NAME]
        return next((step for step in script if step not in done), None)
