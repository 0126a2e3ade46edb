"""Steering words are recognised only when they are the whole message."""

from __future__ import annotations

import pytest

from bot.services.guided.controls import Control, control_in


@pytest.mark.parametrize(
    ("text", "control"),
    [
        ("skip", Control.skip),
        ("Skip please.", Control.skip),
        ("I don't know", Control.skip),
        ("later", Control.later),
        ("not now", Control.later),
        ("STOP", Control.stop),
        ("go back", Control.back),
        ("undo that", Control.undo),
        ("That\u2019s wrong", Control.undo),
    ],
)
def test_steering_words(text, control):
    assert control_in(text) is control


@pytest.mark.parametrize(
    "answer",
    [
        "I stop answering the phone",
        "skipping meals",
        "going back to bed all day",
        "stopping my tablets",
        "later nights",
        "",
        "arguments, crowds",
    ],
)
def test_answers_that_contain_steering_words_are_answers(answer):
    assert control_in(answer) is None
