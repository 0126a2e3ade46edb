"""Recognises a carer sending the code the person they support gave them ("4829-7316").

Like the enrolment code detector: a code is random, so no classifier can learn it. With the
rule in bot/services/carers.is_code_message:

- the message is someone sending a carer code -> intent `carer_link_code` (confidence 1.0);
- the classifier said `carer_link_code` but there is no code -> the next intent in the ranking
  (or nlu_fallback), so "1" or "1234" never links anything.

It sits before the crisis detector, which still overrides everything. A failure on one message
never stops NLU; the text is never logged.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.services.carers import find_code, is_code_message

logger = logging.getLogger(__name__)

CARER_CODE_INTENT = "carer_link_code"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CarerCodeDetector(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"fallback_threshold": 0.3}

    def __init__(self, config: Dict[str, Any]) -> None:
        self.fallback_threshold = float(config["fallback_threshold"])

    @classmethod
    def create(
        cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> "CarerCodeDetector":
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            try:
                self._process_one(message)
            except Exception:  # one bad message must not stop NLU; the text is never logged
                logger.warning("The carer code detector failed on a message; it was left unchanged.", exc_info=True)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CARER_CODE_INTENT]
        if is_code_message(text):
            message.set(INTENT, {"name": CARER_CODE_INTENT, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": CARER_CODE_INTENT, "confidence": 1.0}, *ranking], add_to_output=True)
            return
        said = (message.get(INTENT) or {}).get("name")
        if said == CARER_CODE_INTENT and not find_code(text):
            best = ranking[0] if ranking else None
            if best is None or (best.get("confidence") or 0.0) < self.fallback_threshold:
                best = {"name": "nlu_fallback", "confidence": self.fallback_threshold}
            message.set(INTENT, best, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
