"""Command words act only when the message is the command (issue 18.3).

The classifier learned "stop" from short commands ("stop", "cancel that"), so a sentence that
holds the word ("i cant stop crying", "I stopped my tablets") could come out as the `stop`
intent and end the conversation ("OK, I've stopped"). Here the `stop` intent stands only when
the whole message is one of the stop phrases of content/controls.yml (the same list every
guided conversation uses); otherwise the next intent in the ranking is taken (or
nlu_fallback), by the rule shared with the code detectors (bot/nlu/code_detector.py).
Before the crisis detector, which still overrides everything.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.nlu.code_detector import CodeDetector
from bot.services.guided.controls import Control, control_in

STOP_INTENT = "stop"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CommandGuard(CodeDetector):
    intent = STOP_INTENT
    what = "command"

    @staticmethod
    def is_code_message(text: str) -> bool:
        return False  # never forces "stop": the classifier's choice is only kept or demoted

    @staticmethod
    def may_be_about_a_code(text: str) -> bool:
        return control_in(text) is Control.stop
