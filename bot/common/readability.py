"""How hard a text is to read: the Flesch-Kincaid grade, with a small syllable heuristic.

DESIGN.md asks for plain English with a reading age of about 11. A US school grade of about 6
is a reading age of 11 to 12, so the content tests allow grade 7 at most (see
tests/unit/common/test_readability.py and content/readability_exceptions.yml).

    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

This is a guide, not a judge: on very short texts one long word moves the grade a lot, and the
syllable count is a heuristic (it is right for most everyday words, and off by one now and then).
Before counting, the text loses what nobody reads as words: {placeholders}, web and email
addresses, and numbers (phone numbers, times).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:org|com|net|co)(?:\.uk)?(?:/\S*)?", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")
# Vowel pairs that are usually two syllables ("pi-ano", "peri-od", "gradu-al").
_TWO_SYLLABLE_PAIRS = re.compile(r"(?:ia|io|iu|ua|uo)")
# A silent e before an ending: "lovely", "homeless", "careful", "statement".
_SILENT_E_BEFORE_ENDING = re.compile(r"(?<=[^aeiouy][aeiouy][^aeiouy])e(?=(?:ly|less|ness|ment|ful)$)")


@dataclass(frozen=True)
class Counts:
    sentences: int
    words: int
    syllables: int


def syllables(word: str) -> int:
    """An estimate of the syllables in one word (at least 1)."""
    letters = re.sub(r"[^A-Za-z]", "", word)
    if not letters:
        return 0
    if letters.isupper() and not re.search(r"[AEIOUY]", letters):
        return len(letters)  # read letter by letter: NHS, GP
    w = letters.lower()
    if len(w) <= 3:
        return 1
    if w.endswith("es") and w[-3] not in "aeiouysxzcgh":
        w = w[:-2]  # makes, notes
    elif w.endswith("ed") and w[-3] not in "aeiouytd":
        w = w[:-2]  # helped, used (but wanted, needed)
    elif w.endswith("e") and not w.endswith(("le", "ee", "ye")):
        w = w[:-1]  # make, whole
    elif w.endswith("le") and w[-3] in "aeiouy":
        w = w[:-1]  # smile, while
    if w.startswith("y"):
        w = w[1:]  # you, your, yes: the y is a consonant
    w = re.sub(r"^some(?=[a-z]{3})", "som", w)  # someone, something, sometimes
    w = _SILENT_E_BEFORE_ENDING.sub("", w)
    count = len(_VOWEL_GROUP.findall(w))
    for group in _VOWEL_GROUP.findall(w):
        if len(group) == 2 and _TWO_SYLLABLE_PAIRS.fullmatch(group):
            count += 1
    # "-tion", "-sion", "-cial", "-cian": the i is silent.
    count -= len(re.findall(r"[tsc]i(?:on|al|an)", w))
    return max(1, count)


def _clean(text: str) -> str:
    text = _PLACEHOLDER.sub("", text)
    text = _URL.sub("", text)
    text = _EMAIL.sub("", text)
    return text


def counts(text: str) -> Counts:
    """Sentences, words and syllables, as the grade uses them."""
    cleaned = _clean(text)
    sentences = 0
    words = 0
    total_syllables = 0
    for sentence in _SENTENCE_END.split(cleaned):
        found = _WORD.findall(sentence)
        if not found:
            continue
        sentences += 1
        words += len(found)
        total_syllables += sum(syllables(word) for word in found)
    return Counts(sentences, words, total_syllables)


def flesch_kincaid_grade(text: str) -> float:
    """The Flesch-Kincaid grade of the text; 0.0 for a text with no words."""
    found = counts(text)
    if found.words == 0:
        return 0.0
    return 0.39 * (found.words / found.sentences) + 11.8 * (found.syllables / found.words) - 15.59


def check_text(text: str) -> float:
    """The grade, rounded to one decimal place, for comparing with the limit in tests."""
    return round(flesch_kincaid_grade(text), 1)
