"""The risk classifier's written corpus and the held-out crisis sets keep their shape and stay apart.

The held-out split is only worth anything if no line of it was ever trained on, so a string that
appears in both a training corpus (bot/services/crisis/corpus/*.yml) and an evaluation file
(any tests/evaluation/**/*.yml, the held-out split included) fails here, compared case- and
space-insensitively and ignoring punctuation.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from bench.leakage import words_key

ROOT = Path(__file__).resolve().parents[3]
CORPUS_DIR = ROOT / "bot" / "services" / "crisis" / "corpus"
ORDINARY = CORPUS_DIR / "ordinary.yml"
CRISIS = CORPUS_DIR / "crisis.yml"
EVALUATION_DIR = ROOT / "tests" / "evaluation"
HELDOUT_CRISIS = EVALUATION_DIR / "heldout" / "crisis.yml"
HELDOUT_CONTEXT = EVALUATION_DIR / "heldout" / "context.yml"

ORDINARY_KINDS = {
    "greetings_small_talk",
    "farewells",
    "short_replies",
    "wrap_answers",
    "low_mood",
    "anxiety_panic",
    "sleep",
    "loneliness",
    "anger_frustration",
    "let_down_by_service",
    "medication",
    "unusual_experiences",
    "good_news_recovery",
    "money_benefits_housing",
    "carers",
    "crisis_plan_and_service_questions",
    "crisis_words_everyday",
    "negation_denial",
    "grief_and_loss",
    "films_books_news_games",
    "health_questions",
    "care_coordination",
    "consent_and_sharing",
    "long_rambling",
    "venting_low_mood_no_risk",
    "venting_anxiety_stress",
    "counselling_questions",
    "long_everyday",
    "death_words_everyday",
    "grief_and_bereavement",
    "news_media_study",
    "past_and_recovery",
    "negation_and_reassurance",
    "carers_everyday",
    "angry_frustrated_no_threat",
    "tweet_style_ordinary",
}
CRISIS_KINDS = {
    "suicidal_intent",
    "euphemism",
    "finality_farewells",
    "no_way_out",
    "plans_means_timing",
    "substances_as_method",
    "self_harm",
    "cant_keep_safe",
    "not_wanting_to_wake",
    "vague_intent",
    "overdose_taken",
    "command_voices",
    "being_harmed",
    "harming_others",
    "buried_in_long_message",
    "misspelt",
    "spaced_letters",
}
CRISIS_CORPUS_KINDS = {
    "suicidal_intent",
    "method_plan",
    "timing_tonight",
    "cant_keep_safe",
    "finality_farewells",
    "no_way_out_hopeless",
    "burden",
    "not_wanting_to_wake",
    "vague_intent",
    "self_harm",
    "overdose_substances",
    "misspelt_spaced",
    "being_harmed",
    "harming_others",
    "command_voices",
    "someone_else_at_risk",
    "euphemism_and_voices",
    "posts_passive_ideation",
    "posts_active_ideation",
    "posts_hopeless_with_death",
    "long_buried_risk",
    "tweet_style",
    "farewells_finality",
    "cant_stay_safe",
    "not_waking",
    "substances_method",
    "overdose_taken",
    "vague_intent_decided",
    "spaced_and_misspelt",
    "being_harmed_now",
    "harming_others_more",
    "command_voices_more",
    "carer_worry",
}
CONTEXT_EXPECTATIONS = {"crisis", "possible", "none"}


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _strings(node) -> list[str]:
    """Every leaf of a YAML document that a person might have typed (dict keys are labels)."""
    if isinstance(node, dict):
        return [s for key, value in node.items() if key != "expect" for s in _strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    if isinstance(node, str) and "\n" in node:  # a Rasa "examples: |" block, one example a line
        return [line.strip()[2:] for line in node.splitlines() if line.strip().startswith("- ")]
    return [node]


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _evaluation_strings(path: Path) -> list[str]:
    """The lines of an evaluation file that would be leakage if a corpus held them too.

    A context case is a sequence: a short last line ("bye", "tonight") means something only after
    the earlier ones, and the corpus may well hold it alone, so only lines of four words or more
    count there.
    """
    texts = [t for t in _strings(_load(path)) if isinstance(t, str)]
    if path == HELDOUT_CONTEXT:
        return [t for t in texts if len(t.split()) >= 4]
    return texts


def _crisis_texts() -> list[str]:
    return [t for subjects in _load(HELDOUT_CRISIS).values() for ts in subjects.values() for t in ts]


def _assert_clean(texts: list) -> None:
    not_strings = [t for t in texts if not isinstance(t, str)]
    assert not not_strings, f"YAML read these as non-strings; quote them: {not_strings[:10]}"
    empty = [t for t in texts if not t.strip()]
    assert not empty, "empty strings"
    repeated = [t for t, n in Counter(_key(t) for t in texts).items() if n > 1]
    assert not repeated, f"duplicates: {repeated[:10]}"


def test_ordinary_corpus_has_every_kind_and_enough_of_each():
    data = _load(ORDINARY)
    assert set(data) == ORDINARY_KINDS
    for kind, texts in data.items():
        assert isinstance(texts, list) and len(texts) >= 100, kind
    assert sum(len(texts) for texts in data.values()) >= 4800


def test_ordinary_corpus_strings_are_clean_and_unique():
    _assert_clean(_strings(_load(ORDINARY)))


def test_ordinary_corpus_says_what_it_is_for():
    head = ORDINARY.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "training data for the risk classifier only" in head
    assert "if a clinician might want it flagged, it does not belong here" in head


def test_crisis_corpus_has_every_kind_and_enough_of_each():
    data = _load(CRISIS)
    assert set(data) == CRISIS_CORPUS_KINDS
    for kind, texts in data.items():
        assert isinstance(texts, list) and len(texts) >= 60, kind
    assert sum(len(texts) for texts in data.values()) >= 3300


def test_crisis_corpus_strings_are_clean_and_unique():
    _assert_clean(_strings(_load(CRISIS)))


def test_crisis_corpus_says_what_it_is_for():
    head = CRISIS.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "training data for the risk classifier only" in head
    assert "Nothing here is copied" in head


def test_no_line_is_in_both_training_corpora():
    ordinary = {_key(t) for t in _strings(_load(ORDINARY))}
    assert not [t for t in _strings(_load(CRISIS)) if _key(t) in ordinary]


def test_heldout_crisis_shape_and_counts():
    data = _load(HELDOUT_CRISIS)
    assert set(data) == CRISIS_KINDS
    for kind, subjects in data.items():
        assert set(subjects) == {"self", "someone_else"}, kind
        assert len(subjects["self"]) >= 10 and len(subjects["someone_else"]) >= 4, kind
    texts = _crisis_texts()
    assert len(texts) >= 400
    _assert_clean(texts)
    assert "never trained" in HELDOUT_CRISIS.read_text(encoding="utf-8").split("\n\n", 1)[0]


def test_heldout_context_cases():
    cases = _load(HELDOUT_CONTEXT)
    assert isinstance(cases, list) and len(cases) >= 40
    for case in cases:
        assert set(case) == {"messages", "expect"}, case
        assert case["expect"] in CONTEXT_EXPECTATIONS, case
        assert isinstance(case["messages"], list) and len(case["messages"]) >= 2, case
        assert all(isinstance(m, str) and m.strip() for m in case["messages"]), case
    assert {case["expect"] for case in cases} == CONTEXT_EXPECTATIONS
    finals = [" / ".join(case["messages"]) for case in cases]
    assert len(set(map(_key, finals))) == len(finals), "repeated context case"


def test_no_heldout_crisis_message_is_ordinary_in_the_corpus():
    ordinary = {_key(t) for t in _strings(_load(ORDINARY))}
    assert not [t for t in _crisis_texts() if _key(t) in ordinary]


@pytest.mark.parametrize("corpus", sorted(CORPUS_DIR.glob("*.yml")), ids=lambda p: p.name)
def test_no_training_string_is_in_an_evaluation_set(corpus):
    training = {words_key(t) for t in _strings(_load(corpus)) if isinstance(t, str)}
    evaluation_files = sorted(EVALUATION_DIR.rglob("*.yml"))
    leaked = {
        f"{path.name}: {t}" for path in evaluation_files for t in _evaluation_strings(path) if words_key(t) in training
    }
    assert not leaked, sorted(leaked)[:20]
