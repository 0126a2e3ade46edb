"""Inside a question: a feeling said as one is not an answer; words that only sound like a
feeling are (issue 22.2). No Rasa."""

from __future__ import annotations

import pytest

from bot.services.feelings.in_forms import said_as_a_feeling


@pytest.mark.parametrize(
    "text",
    [
        "i had a panic attack earlier",
        "I feel awful",
        "im so low today",
        "I'm struggling",
        "my anxiety is bad today",
        "i cant stop crying",
        "ive been awake since 3am again",
        "I feel like people are watching me",
        "i feel sooo lonely",
    ],
)
def test_the_person_speaking_of_now_is_a_feeling(text):
    assert said_as_a_feeling(text)


@pytest.mark.parametrize(
    "text",
    [
        "panic attacks",
        "not sleeping",
        "I get angry",
        "when I feel low",
        "feeling watched",
        "being on my own",
        "I stop sleeping",
        "if I can't sleep",
        "arguments with my mum",
        "money worries",
        "",
    ],
)
def test_words_that_describe_a_sign_or_trigger_are_an_answer(text):
    assert not said_as_a_feeling(text)
