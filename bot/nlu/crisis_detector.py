"""The crisis detector as a Rasa NLU component: last in the pipeline, on every message.

The rules live in bot/services/crisis/detection.py and content/crisis_patterns.yml; this
component only writes the result into the message Rasa passes along:

- detector fires -> intent `crisis` (confidence 1.0), whatever the classifier said, plus the
  entity `crisis_subject` ("self" or "other") so the reply can be worded for a carer;
- classifier said `crisis` but the detector did not -> kept only if the classifier is at least
  `classifier_crisis_threshold` confident (config.yml sets it above 1, so never: alone, it
  falsely alarmed on ordinary messages); otherwise the next intent in the ranking is used.

Failing to load the patterns stops start-up; a failure on one message never stops NLU.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.services.crisis.detection import CrisisDetector as PatternDetector
from bot.services.crisis.detection import default_patterns_path
from bot.settings import SPACY_PIPELINE_PATH

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"
SUBJECT_ENTITY = "crisis_subject"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisDetector(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # fallback_threshold: a demoted message whose next intent is weaker than this becomes
        # nlu_fallback, as the FallbackClassifier (same threshold) would have made it.
        return {"patterns_path": None, "pipeline_path": None, "classifier_crisis_threshold": 0.8,
                "fallback_threshold": 0.3}

    def __init__(self, config: Dict[str, Any], detector: PatternDetector) -> None:
        self.threshold = float(config["classifier_crisis_threshold"])
        self.fallback_threshold = float(config["fallback_threshold"])
        self.detector = detector

    @classmethod
    def create(
        cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> "CrisisDetector":
        config = {**cls.get_default_config(), **config}
        detector = PatternDetector.from_files(
            Path(config["pipeline_path"] or SPACY_PIPELINE_PATH),
            Path(config["patterns_path"] or default_patterns_path()),
        )
        return cls(config, detector)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            try:
                self._process_one(message)
            except Exception:  # one bad message must not stop NLU; the text is never logged
                logger.warning("The crisis detector failed on a message; it was left unchanged.", exc_info=True)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        signal = self.detector.detect(text)
        if signal is not None:
            self._mark_crisis(message, "other" if signal.about_someone_else else "self")
            message.set("crisis_category", signal.category, add_to_output=True)
            return
        intent = message.get(INTENT) or {}
        if intent.get("name") != CRISIS_INTENT:
            return
        if (intent.get("confidence") or 0.0) >= self.threshold:
            self._mark_crisis(message, "self")
        else:
            self._demote(message)

    @staticmethod
    def _mark_crisis(message: Message, subject: str) -> None:
        text = message.get(TEXT) or ""
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
        message.set(INTENT, {"name": CRISIS_INTENT, "confidence": 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": CRISIS_INTENT, "confidence": 1.0}, *ranking], add_to_output=True)
        entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != SUBJECT_ENTITY]
        entities.append({
            "entity": SUBJECT_ENTITY, "value": subject, "start": 0, "end": len(text),
            "confidence_entity": 1.0, "extractor": "CrisisDetector",
        })
        message.set(ENTITIES, entities, add_to_output=True)

    def _demote(self, message: Message) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
        best: Optional[dict] = ranking[0] if ranking else None
        if best is None or (best.get("confidence") or 0.0) < self.fallback_threshold:
            best = {"name": "nlu_fallback", "confidence": self.fallback_threshold}
        message.set(INTENT, best, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
