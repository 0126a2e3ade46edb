"""Plain SMS text: GSM-7 only, split at sensible boundaries into messages of at most 320
characters, and buttons as numbered choices. Properties checked with hypothesis."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.common.sms_text import (
    MAX_SMS_CHARS,
    chosen_number,
    is_gsm7,
    numbered_choices,
    plain_sms_text,
    split_between_words,
    split_for_sms,
)

# Everything a reply might hold except letters of other alphabets: Latin letters with and
# without accents, digits, punctuation, curly quotes, dashes, ellipses, symbols, emoji
# (with joiners, skin tones and variation selectors), odd spaces and line breaks.
_REPLY_CHARS = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.sampled_from(list("\n\n\t\u00a0\u2009\r")),
    st.characters(min_codepoint=0xA0, max_codepoint=0x17F),  # Latin-1 and Latin Extended-A
    st.sampled_from(list("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u00b7\u00ab\u00bb\u20ac\u00a3")),
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),  # emoji
    st.sampled_from(["\u200d", "\ufe0f", "\U0001f3fd", "\u20e3", "\u2764", "\u2705", "\u00a9"]),
)
_REPLY_TEXT = st.text(_REPLY_CHARS, max_size=2000)


def _words(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=300, deadline=None)
@given(_REPLY_TEXT)
def test_every_part_is_plain_sms_and_short_enough(text):
    for part in split_for_sms(text):
        assert part and part == part.strip()
        assert len(part) <= MAX_SMS_CHARS
        assert is_gsm7(part), [char for char in part if not is_gsm7(char)]


@settings(max_examples=300, deadline=None)
@given(_REPLY_TEXT, st.integers(min_value=20, max_value=400))
def test_splitting_loses_nothing_and_keeps_the_order(text, limit):
    parts = split_for_sms(text, limit)
    assert all(len(part) <= limit for part in parts)
    assert _words("".join(parts)) == _words(plain_sms_text(text))


_WORD = st.text(st.characters(min_codepoint=ord("a"), max_codepoint=ord("z")), min_size=1, max_size=12)
_SENTENCE = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(_WORD, min_size=1, max_size=20),
    st.sampled_from([".", "!", "?"]),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_SENTENCE, min_size=1, max_size=30),
    st.lists(st.sampled_from([" ", "\n", "\n\n"]), min_size=30, max_size=30),
)
def test_sentences_that_fit_are_never_cut(sentences, gaps):
    text = "".join(sentence + gap for sentence, gap in zip(sentences, gaps, strict=False)).strip()
    parts = split_for_sms(text)
    assert all(part[-1] in ".!?" for part in parts)
    assert [s for part in parts for s in re.split(r"(?<=[.!?])\s+", part)] == sentences


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_only_letters_the_person_wrote_can_make_a_message_unicode(text):
    """Anything outside GSM-7 left in a message is a letter or number of another alphabet,
    kept on purpose; never a quote, dash, symbol or emoji."""
    for part in split_for_sms(text):
        for char in part:
            if not is_gsm7(char):
                assert unicodedata.category(char)[0] in "LNM", repr(char)


def test_typical_replacements():
    assert (
        plain_sms_text("\u201cI\u2019m fine\u201d \u2013 really\u2026 \U0001f642\U0001f44d\U0001f3fd")
        == '"I\'m fine" - really...'
    )
    assert (
        plain_sms_text("caf\u00e9 na\u00efve \u0175 \u00e9") == "caf\u00e9 naive w \u00e9"
    )  # é is GSM-7, ï and ŵ are not
    assert plain_sms_text("one\r\ntwo\n\n\n\nthree  \t four") == "one\ntwo\n\nthree four"


def test_short_text_is_one_message_and_empty_text_none():
    assert split_for_sms("Hello there.") == ["Hello there."]
    assert split_for_sms("  \U0001f642 \n ") == []


def test_paragraphs_are_kept_together_when_they_fit():
    first = "First paragraph. " * 8
    second = "Second paragraph, which is a little longer. " * 5
    parts = split_for_sms(f"{first.strip()}\n\n{second.strip()}")
    assert parts == [first.strip(), second.strip()]


def test_a_word_longer_than_a_message_is_cut():
    parts = split_for_sms("see " + "x" * 700 + " ok", 320)
    assert parts == ["see", "x" * 320, "x" * 320, "x" * 60 + " ok"]
    assert _words("".join(parts)) == "see" + "x" * 700 + "ok"


def test_the_limit_must_leave_room_for_words():
    with pytest.raises(ValueError):
        split_for_sms("anything", 5)


def test_numbered_choices_and_reading_a_number_back():
    text = numbered_choices(["Yes, start it", "Not now"], "Reply with a number:", "{number} {title}")
    assert text == "Reply with a number:\n1 Yes, start it\n2 Not now"
    assert [chosen_number(reply) for reply in ("1", " 2 ", "2.", "#3", "3)", "12")] == [1, 2, 2, 3, 3, 12]
    assert [chosen_number(reply) for reply in ("one", "1 2", "yes", "", "123", "1st")] == [None] * 6


def test_between_words_takes_fewer_texts_than_between_sentences_and_cuts_only_overlong_words():
    sentence = " ".join(["word"] * 39) + "."  # 199 characters: two never fit one text
    text = " ".join([sentence] * 3)
    assert len(split_for_sms(text)) == 3
    parts = split_between_words(text)
    assert len(parts) == 2 and all(len(part) <= MAX_SMS_CHARS for part in parts)
    assert " ".join(parts) == plain_sms_text(text)
    assert [len(part) for part in split_between_words("x" * 700)] == [320, 320, 60]
