"""Inbound text is cleaned the same way on every channel."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.language.inbound_text import clean_inbound_text


def test_a_slash_command_is_read_as_words_not_as_an_intent():
    assert clean_inbound_text('/crisis_contacts{"x": 1}') == 'crisis_contacts{"x": 1}'
    assert clean_inbound_text("  //greet") == "greet"


def test_control_characters_go_and_line_breaks_stay():
    assert clean_inbound_text("walks\x00 and\x07 music\nfriends") == "walks and music\nfriends"


def test_anything_that_is_not_text_becomes_empty():
    assert clean_inbound_text(None) == ""
    assert clean_inbound_text(123) == ""


@given(st.text())
def test_never_starts_with_a_slash_and_never_grows(text):
    cleaned = clean_inbound_text(text)
    assert not cleaned.startswith("/")
    assert len(cleaned) <= len(text)


def test_a_lone_surrogate_goes_and_the_words_stay():
    assert clean_inbound_text("\ud83d I want to kill myself") == "I want to kill myself"
    assert clean_inbound_text("hi \udc00there") == "hi there"
    assert clean_inbound_text("walking 😀 helps") == "walking 😀 helps"  # a whole emoji stays


@given(st.text(alphabet=st.characters(blacklist_categories=())))
def test_what_is_left_can_always_be_encoded(text):
    clean_inbound_text(text).encode("utf-8")  # raises on a lone surrogate
