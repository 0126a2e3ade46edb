"""The shared matching form (bot/language/normalise.py) for the classifier, and the person's own
words back for everything after it.

- `TextNormaliser`, first in the pipeline: the classifier trains and predicts on the matching
  form ("im soooo depresed" -> "i'm so depressed"), so one spelling of a word teaches it for all.
  What the person typed is kept on the message.
- `VerbatimText`, straight after the classifier (FallbackClassifier): the message's text is
  what the person typed again. Rasa hands that text to the actions as
  `tracker.latest_message["text"]`, and actions save answers from it, so an answer with a typo
  is saved with the typo; the code detectors and the crisis detector read it too (the crisis
  detector makes the same matching form itself).

A failure on one message leaves it as it was; the text is never logged.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.normalise import matching_form, vocabulary

logger = logging.getLogger(__name__)

VERBATIM = "verbatim_text"  # the message attribute holding what the person typed


class _Stateless(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> _Stateless:
        return cls()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class TextNormaliser(_Stateless):
    def __init__(self) -> None:
        vocabulary()  # load once, at start-up, not on someone's first message

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            if example.get(TEXT):
                example.set(TEXT, matching_form(example.get(TEXT)) or example.get(TEXT))
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            typed = message.get(TEXT)
            if not isinstance(typed, str) or not typed:
                continue
            try:
                form = matching_form(typed)
            except Exception:  # one bad message must not stop NLU; the text is never logged
                logger.warning("The text normaliser failed on a message; it was left as typed.", exc_info=True)
                continue
            message.set(VERBATIM, typed)
            message.set(TEXT, form or typed)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class VerbatimText(_Stateless):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            typed = message.get(VERBATIM)
            if isinstance(typed, str):
                message.set(TEXT, typed)
        return messages
