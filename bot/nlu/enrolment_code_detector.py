"""Recognises a person sending their enrolment code ("KMTR-4829") by the rule in
bot/services/enrolment_codes.is_enrolment_message (see bot/nlu/code_detector.py). A message
that asks about a code or enrolment without one keeps the classifier's intent."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.nlu.code_detector import CodeDetector
from bot.services.people.enrolment_codes import find_code, is_enrolment_message, mentions_enrolment

ENROLMENT_INTENT = "enrolment_code"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EnrolmentCodeDetector(CodeDetector):
    intent = ENROLMENT_INTENT
    what = "enrolment code"

    @staticmethod
    def is_code_message(text: str) -> bool:
        return is_enrolment_message(text)

    @staticmethod
    def may_be_about_a_code(text: str) -> bool:
        return bool(find_code(text)) or mentions_enrolment(text)
