"""Recognises a carer sending the code the person they support gave them ("4829-7316") by the
rule in bot/services/carers.is_code_message (see bot/nlu/code_detector.py), so "1" or "1234"
never links anything."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.nlu.code_detector import CodeDetector
from bot.services.carers import carers

CARER_CODE_INTENT = "carer_link_code"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CarerCodeDetector(CodeDetector):
    intent = CARER_CODE_INTENT
    what = "carer code"

    @staticmethod
    def is_code_message(text: str) -> bool:
        return carers.is_code_message(text)

    @staticmethod
    def may_be_about_a_code(text: str) -> bool:
        return bool(carers.find_code(text))
