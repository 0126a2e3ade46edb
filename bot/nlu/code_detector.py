"""The shared rule behind the NLU components that recognise a code a person sends (an
enrolment code, a carer's code): a code is random, so no classifier can learn it from
examples, and digits in examples would pull "1" or "1234" towards it. So a rule decides:

- the message is someone sending a code -> the code's intent (confidence 1.0);
- the classifier said the code's intent but the rule finds no code (and nothing that asks
  about one) -> the next intent in the ranking (or nlu_fallback), as the crisis detector does.

Each detector sits before the crisis detector, which still overrides everything. A failure on
one message never stops NLU; the text is never logged.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

logger = logging.getLogger(__name__)


class CodeDetector(GraphComponent):
    """Subclasses name their intent and give the rule; they register themselves with Rasa."""

    intent: str = ""
    what: str = "code"  # for the log line only

    @staticmethod
    def is_code_message(text: str) -> bool:
        raise NotImplementedError

    @staticmethod
    def may_be_about_a_code(text: str) -> bool:
        """Whether the classifier's choice of this intent can stand without a code in the text."""
        return False

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"fallback_threshold": 0.3}

    def __init__(self, config: dict[str, Any]) -> None:
        self.fallback_threshold = float(config["fallback_threshold"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CodeDetector:
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            try:
                self._process_one(message)
            except Exception:  # one bad message must not stop NLU; the text is never logged
                logger.warning("The %s detector failed on a message; it was left unchanged.", self.what, exc_info=True)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != self.intent]
        if self.is_code_message(text):
            message.set(INTENT, {"name": self.intent, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": self.intent, "confidence": 1.0}, *ranking], add_to_output=True)
            return
        said = (message.get(INTENT) or {}).get("name")
        if said == self.intent and not self.may_be_about_a_code(text):
            best = ranking[0] if ranking else None
            if best is None or (best.get("confidence") or 0.0) < self.fallback_threshold:
                best = {"name": "nlu_fallback", "confidence": self.fallback_threshold}
            message.set(INTENT, best, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
