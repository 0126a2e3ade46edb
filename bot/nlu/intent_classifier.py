"""Rasa's LogisticRegressionClassifier, made safe for empty messages.

An empty message (or one that is only spaces) has no features at all, and scikit-learn then
raises, which would lose the person's turn with no reply. Here such a message gets no intent
with zero confidence, so the FallbackClassifier after it turns it into `nlu_fallback` and the
person gets the usual kind "I didn't understand" reply.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EmptySafeLogisticRegressionClassifier(LogisticRegressionClassifier):
    def process(self, messages: list[Message]) -> list[Message]:
        with_features = [m for m in messages if m.get_sparse_features(attribute=TEXT)[1] is not None]
        for message in messages:
            if message not in with_features:
                message.set("intent", {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set("intent_ranking", [], add_to_output=True)
        if with_features:
            super().process(with_features)
        return messages
