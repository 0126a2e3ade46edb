"""Filling placeholders: a value that starts a sentence gets a capital, nothing else changes."""

from __future__ import annotations

import pytest

from bot.common.fill import fill


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Done. {name} is no longer linked.", "Done. Your mum is no longer linked."),
        ("{name} can see nothing.", "Your mum can see nothing."),
        ("Really? {name} said so!", "Really? Your mum said so!"),
        ('Say "stop sharing with {name}".', 'Say "stop sharing with your mum".'),
        ("A code for {name}: 1234.", "A code for your mum: 1234."),
        ("Braces {{stay}}. {name} too.", "Braces {stay}. Your mum too."),
    ],
)
def test_only_a_value_at_the_start_of_a_sentence_gets_a_capital(template, expected):
    assert fill(template, name="your mum") == expected


def test_a_missing_value_is_an_error_as_with_format():
    with pytest.raises(KeyError):
        fill("{name} and {other}", name="x")
