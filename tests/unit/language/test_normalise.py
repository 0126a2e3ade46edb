"""The shared matching form: each transformation on its own, the things it must never touch,
and properties over any string (never raises, idempotent, digit tokens kept)."""

from __future__ import annotations

import re
import time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.language.normalise import (
    LANGUAGE_PATH,
    MIN_CORRECTED_LENGTH,
    load_language,
    matching_form,
    safe_text,
    vocabulary,
)


@pytest.fixture(scope="module")
def vocab():
    return vocabulary()


def test_unicode_is_folded_and_unsafe_characters_go():
    assert safe_text("ｆｕｌｌ ｗｉｄｔｈ ﬁne") == "full width fine"
    assert safe_text("hi \ud83d there\x00\x07") == "hi there"
    assert safe_text("  Lots   of\nspace\t") == "lots of space"
    assert safe_text(None) == ""


def test_curly_quotes_are_straightened():
    assert matching_form("I\u2019m \u201cfine\u201d") == 'i\'m "fine"'
    assert matching_form("can\u2018t") == "can't"


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("i want to d i e", "i want to die"),
        ("k i l l m y s e l f", "kill myself"),
        ("i a m s a d", "i am sad"),
        ("h e l p.", "help."),
        ("u r a star", "you are a star"),  # every letter is a word on its own: left as words
        ("plan a b", "plan a b"),  # two letters are not spaced-out spelling
    ],
)
def test_spaced_out_letters_become_words(typed, form):
    assert matching_form(typed) == form


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("soooo tired", "so tired"),
        ("i want to dieeeee", "i want to die"),
        ("helllooo", "hello"),
        ("cooool", "cool"),
        ("plsss", "please"),
    ],
)
def test_letter_repeats_squeeze_to_the_word(typed, form):
    assert matching_form(typed) == form


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("u ok", "you ok"),
        ("im scared", "i'm scared"),
        ("i cant sleep 2nite", "i can't sleep tonight"),
        ("dont wanna go tmrw", "don't want to go tomorrow"),
        ("idk rn pls", "i don't know right now please"),
        ("gonna ring cuz ur late", "going to ring because your late"),
        ("see u l8r.", "see you later."),
    ],
)
def test_text_speak_is_spelled_out(typed, form):
    assert matching_form(typed) == form


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("i want to kil myself", "i want to kill myself"),
        ("suicde", "suicide"),
        ("i feel depresed", "i feel depressed"),
        ("my tabelts", "my tablets"),
    ],
)
def test_misspellings_are_corrected_towards_our_words(typed, form):
    assert matching_form(typed) == form


@pytest.mark.parametrize(
    "text",
    [
        "my code is KMTR-4829",
        "kmtr 4829",
        "4829-7316",
        "07700 900123",
        "+447700900123",
        "M14 4PX",
        "LS6",
        "2",
        "1.",
        "3am",
        "https://www.nhs.uk/mental-health/",
        "mind.org.uk",
        "sam@example.org",
    ],
)
def test_codes_numbers_links_and_addresses_are_not_touched(text):
    assert matching_form(text) == text.lower()


@pytest.mark.parametrize(
    "text",
    [
        "i've stopped my olanzapine",
        "my cpn",
        "the cmht rang",
        "nowt",
        "cafe",
        "ok",
        "no",
        "so",
        "wrap",
        "i'm",
        "can't",
    ],
)
def test_known_and_kept_words_stay(text):
    assert matching_form(text) == text


def test_short_words_are_never_corrected(vocab):
    assert MIN_CORRECTED_LENGTH == 3
    assert matching_form("xo") == "xo"  # two letters: too short to guess


def test_every_text_speak_value_is_its_own_matching_form():
    text_speak, keep = load_language()
    changed = {key: value for key, value in text_speak.items() if matching_form(value) != value}
    assert not changed
    assert [word for word in keep if matching_form(word) != word] == []


def test_a_broken_language_file_is_named(tmp_path):
    bad = tmp_path / "language.yml"
    bad.write_text(yaml.safe_dump({"text_speak": {"U": "you"}}), encoding="utf-8")
    with pytest.raises(ValueError, match="language.yml.*'U'"):
        load_language(bad)
    assert load_language(LANGUAGE_PATH)[0]["u"] == "you"


def test_a_typical_text_is_well_under_half_a_millisecond(vocab):
    texts = [
        "im soooo depresed and cant sleep",
        "can u remind me to take my tablets",
        "my mum keeps phoning my team",
        "i've stopped taking my olanzapine tbh",
    ] * 50
    matching_form("warm up")
    started = time.perf_counter()
    for text in texts:
        matching_form(text)
    per_message_ms = (time.perf_counter() - started) * 1000 / len(texts)
    assert per_message_ms < 0.5


# ---------------------------------------------------------------------------------------------
# Properties over any string
# ---------------------------------------------------------------------------------------------
# Text like people type: short words, repeats, spaced letters, text-speak, digits.
_TYPED = st.lists(
    st.sampled_from(list("aeiou dkilmnrsty'.,!?-2") + ["ooo", "eee", " u ", " i ", " d ", "im", "2nite"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), _TYPED))
def test_never_raises_and_is_idempotent(text):
    once = matching_form(text)
    assert isinstance(once, str)
    once.encode("utf-8")
    assert matching_form(once) == once


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.from_regex(r"[A-Za-z]{0,4}[0-9]{1,6}[A-Za-z-]{0,3}", fullmatch=True),
            st.sampled_from(["i", "cant", "kil", "soooo", "d", "i", "e", "u", "sad", "olanzapine"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_tokens_with_digits_are_kept(tokens):
    form = matching_form(" ".join(tokens)).split(" ")
    for token in tokens:
        if re.search(r"\d", token) and token.lower() not in load_language()[0]:
            assert token.lower() in form
