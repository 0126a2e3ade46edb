"""Command words act only when the whole message is the command (issue 18.3): the guard's
rule, on Rasa messages, without a trained model."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.command_guard import CommandGuard


def classified(text: str, ranking: list[tuple[str, float]]) -> Message:
    message = Message(data={TEXT: text})
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, entries[0])
    message.set(INTENT_RANKING_KEY, entries)
    return message


@pytest.mark.parametrize("text", ["stop", "Stop.", "cancel that", "i'm done", "can we stop", "ok done"])
def test_the_command_alone_stays_a_command(text):
    message = CommandGuard({"fallback_threshold": 0.3}).process([classified(text, [("stop", 0.9), ("deny", 0.05)])])[0]
    assert message.get(INTENT)["name"] == "stop"


@pytest.mark.parametrize(
    "text", ["i cant stop crying", "i stopped my tablets", "stop the voices", "im done with feeling like this"]
)
def test_the_word_inside_a_sentence_is_not_the_command(text):
    message = CommandGuard({"fallback_threshold": 0.3}).process(
        [classified(text, [("stop", 0.6), ("feel_low", 0.35), ("deny", 0.05)])]
    )[0]
    assert message.get(INTENT)["name"] == "feel_low"
    assert "stop" not in [entry["name"] for entry in message.get(INTENT_RANKING_KEY)]


def test_with_nothing_likely_behind_it_the_message_is_not_understood_rather_than_a_stop():
    message = CommandGuard({"fallback_threshold": 0.3}).process(
        [classified("stop it all", [("stop", 0.8), ("deny", 0.1)])]
    )[0]
    assert message.get(INTENT)["name"] == "nlu_fallback"
