"""The anchored matcher finds exactly what one spaCy Matcher holding every pattern finds.

It skips a pattern when the message lacks a word the pattern cannot do without; these tests
show that skipping never loses a match, on every message of our crisis and ordinary evaluation
sets and on made-up edge cases (contractions, end marks, optional words, lemmas)."""

from __future__ import annotations

import pytest
import yaml
from spacy.matcher import Matcher

from bot.language.spacy_pipeline import build_pipeline
from bot.services.crisis.anchored_matcher import AnchoredMatcher, Requirement, requirements
from bot.services.crisis.detection import CrisisDetector, default_patterns_path, normalise
from bot.services.crisis.help_questions import HELP_QUESTIONS_PATH, HelpQuestions
from tests.evaluation.sets import crisis_cases, ordinary_messages

EDGE_CASES = [
    "honestly i'm gonna end my life.",
    "I WANT TO DIEEEE",
    "d i e",
    "i cant promise ill be safe",
    "tonights the night",
    "my feet are killing me",
    "who do i call in a crisis, i want to die",
    "what goes in the crisis part of my plan?",
    "",
    "!!!",
]


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


def _plain(anchored: AnchoredMatcher) -> Matcher:
    matcher = Matcher(anchored.vocab, validate=True)
    for name, tokens in anchored.patterns:
        matcher.add(name, [tokens])
    return matcher


def _same_matches(nlp, anchored: AnchoredMatcher, texts: list[str]) -> list[str]:
    plain = _plain(anchored)
    differ = []
    for text in texts:
        doc = nlp(normalise(text))
        expected = sorted((nlp.vocab.strings[key], start, end) for key, start, end in plain(doc))
        if sorted(anchored(doc)) != expected:
            differ.append(text)
    return differ


def test_crisis_patterns_match_as_one_matcher_would(nlp):
    detector = CrisisDetector(nlp, yaml.safe_load(default_patterns_path().read_text(encoding="utf-8")))
    texts = [text for text, _, _ in crisis_cases()] + ordinary_messages() + EDGE_CASES
    assert len(detector.patterns.matcher) > 200
    assert not _same_matches(nlp, detector.patterns.matcher, texts)


def test_help_question_patterns_match_as_one_matcher_would(nlp):
    questions = HelpQuestions.from_file(nlp, HELP_QUESTIONS_PATH)
    texts = ordinary_messages() + EDGE_CASES
    assert not _same_matches(nlp, questions.patterns.matcher, texts)


def test_optional_slots_are_not_requirements():
    tokens = [{"LOWER": {"IN": ["i"]}, "OP": "?"}, {"LEMMA": {"IN": ["kill"]}}, {"OP": "?"}, {"LOWER": "myself"}]
    assert requirements(tokens) == [
        Requirement("LEMMA", frozenset({"kill"})),
        Requirement("LOWER", frozenset({"myself"})),
    ]


def test_a_pattern_with_no_fixed_word_is_always_tried(nlp):
    matcher = AnchoredMatcher(nlp.vocab)
    matcher.add("any-big-number", [{"LOWER": {"REGEX": "^[0-9]{2,}$"}}])
    assert matcher(nlp("took 30 of them")) == [("any-big-number", 1, 2)]
