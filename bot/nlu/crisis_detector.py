"""The crisis detector as a Rasa NLU component: last in the pipeline, on every message.

The rules live in bot/services/crisis/ (risk.py, the one risk question) and content/; this
component only asks it, with the conversation's last few messages from the tracker Rasa passes
to NLU (context.py), and writes the answer into the message Rasa passes along:

- crisis -> intent `crisis` (confidence 1.0), whatever the classifier said, plus the
  entity `crisis_subject` ("self" or "other") so the reply can be worded for a carer;
- possible risk -> intent `possible_risk`, with the same entity (CrisisPolicy asks "Are you
  safe right now?" with the contacts); the learned risk classifier (config `risk_classifier`,
  thresholds `risk_*`) is asked when no pattern matched and can only raise possible risk;
- a question that only asks for the crisis contacts ("who do I call in a crisis?") ->
  `crisis_contacts`; one about a crisis plan keeps the classifier's intent (the WRAP section);
- classifier said `crisis` or `possible_risk` but the rules did not -> kept only if the
  classifier is at least `classifier_crisis_threshold` confident (config.yml sets it above 1,
  so never: alone, it falsely alarmed on ordinary messages); otherwise the next intent in the
  ranking is used.

Failing to load the patterns stops start-up; a failure on one message never stops NLU.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.services.crisis.classifier import Thresholds, shared_classifier
from bot.services.crisis.context import recent_window, steers_a_form
from bot.services.crisis.detection import default_patterns_path
from bot.services.crisis.risk import RiskAssessor, RiskLevel
from bot.settings import SPACY_PIPELINE_PATH

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"
POSSIBLE_INTENT = "possible_risk"
CONTACTS_INTENT = "crisis_contacts"
RISK_INTENTS = {RiskLevel.CRISIS: CRISIS_INTENT, RiskLevel.POSSIBLE: POSSIBLE_INTENT}
SUBJECT_ENTITY = "crisis_subject"
HISTORY_MESSAGES = 10  # earlier messages read from the tracker; context.py keeps its window of them


def conversation_so_far(tracker: DialogueStateTracker | None, limit: int | None = None) -> list[tuple[str, str]]:
    """This session's messages from the person, (intent, text), oldest first (the last `limit`)."""
    messages: list[tuple[str, str]] = []
    for event in reversed(tracker.events if tracker is not None else []):
        if isinstance(event, SessionStarted) or (limit is not None and len(messages) >= limit):
            break
        if isinstance(event, UserUttered):
            messages.append(((event.intent or {}).get("name") or "", event.text or ""))
    return messages[::-1]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisDetector(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # fallback_threshold: a demoted message whose next intent is weaker than this becomes
        # nlu_fallback, as the FallbackClassifier (same threshold) would have made it.
        return {
            "patterns_path": None,
            "pipeline_path": None,
            "classifier_crisis_threshold": 0.8,
            "fallback_threshold": 0.3,
            "risk_classifier": True,
            **Thresholds().as_settings(),
        }

    def __init__(self, config: dict[str, Any], assessor: RiskAssessor) -> None:
        self.threshold = float(config["classifier_crisis_threshold"])
        self.fallback_threshold = float(config["fallback_threshold"])
        self.assessor = assessor

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CrisisDetector:
        config = {**cls.get_default_config(), **config}
        live = bool(config["risk_classifier"])
        assessor = RiskAssessor.from_files(
            Path(config["pipeline_path"] or SPACY_PIPELINE_PATH),
            Path(config["patterns_path"] or default_patterns_path()),
            classifier=shared_classifier() if live else None,
            thresholds=Thresholds.from_settings(config),
        )
        return cls(config, assessor)

    def process(self, messages: list[Message], tracker: DialogueStateTracker | None = None) -> list[Message]:
        """`tracker` is the conversation before this message (Rasa passes it to NLU by this
        parameter's name; an empty one when a text is read outside a conversation)."""
        try:
            recent = recent_window(conversation_so_far(tracker, HISTORY_MESSAGES))
        except Exception:  # context only adds; without it each message is still read alone
            logger.warning("The conversation's recent messages could not be read for context.", exc_info=True)
            recent = []
        form_active = bool(tracker is not None and tracker.active_loop_name)
        for message in messages:
            try:
                alone = steers_a_form(message.get(TEXT) or "", form_active)
                self._process_one(message, [] if alone else recent)
            except Exception:  # one bad message must not stop NLU; the text is never logged
                logger.warning("The crisis detector failed on a message; it was left unchanged.", exc_info=True)
        return messages

    def _process_one(self, message: Message, recent: list[str]) -> None:
        text = message.get(TEXT) or ""
        found = self.assessor.assess(text, recent)
        if found.is_risk:
            self._mark(message, RISK_INTENTS[found.level], found.reply_for)
            message.set("crisis_category", found.kind, add_to_output=True)
            return
        question = self.assessor.help_question(text)
        if question is not None and question.kind == "contacts":
            self._mark(message, CONTACTS_INTENT, None)
            return
        intent = message.get(INTENT) or {}
        if intent.get("name") not in RISK_INTENTS.values():
            return
        if intent.get("name") == CRISIS_INTENT and (intent.get("confidence") or 0.0) >= self.threshold:
            self._mark(message, CRISIS_INTENT, "self")
        else:
            self._demote(message)

    @staticmethod
    def _mark(message: Message, intent: str, subject: str | None) -> None:
        """The intent, first and certain; for risk, who it is about (the `crisis_subject` entity)."""
        text = message.get(TEXT) or ""
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
        message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}, *ranking], add_to_output=True)
        if subject is None:
            return
        entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != SUBJECT_ENTITY]
        entities.append(
            {
                "entity": SUBJECT_ENTITY,
                "value": subject,
                "start": 0,
                "end": len(text),
                "confidence_entity": 1.0,
                "extractor": "CrisisDetector",
            }
        )
        message.set(ENTITIES, entities, add_to_output=True)

    def _demote(self, message: Message) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in RISK_INTENTS.values()]
        best: dict | None = ranking[0] if ranking else None
        if best is None or (best.get("confidence") or 0.0) < self.fallback_threshold:
            best = {"name": "nlu_fallback", "confidence": self.fallback_threshold}
        message.set(INTENT, best, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
