"""The one risk question (bot/services/crisis/risk.py): crisis language is CRISIS with its
subject, ordinary words are NONE, and the assessment never fails on odd input."""

from __future__ import annotations

import pytest

from bot.language.spacy_pipeline import build_pipeline
from bot.services.crisis.detection import CrisisDetector, default_patterns_path
from bot.services.crisis.risk import RiskAssessor, RiskLevel


@pytest.fixture(scope="module")
def assessor() -> RiskAssessor:
    import yaml

    patterns = yaml.safe_load(default_patterns_path().read_text(encoding="utf-8"))
    return RiskAssessor(CrisisDetector(build_pipeline(), patterns, "crisis_patterns.yml"))


def test_crisis_language_is_crisis_about_the_person(assessor):
    found = assessor.assess("i want to kill myself")
    assert found.level is RiskLevel.CRISIS and found.is_risk
    assert found.subject == "self" and found.score == 1.0 and found.kind


def test_crisis_language_about_someone_else_says_so(assessor):
    assert assessor.assess("my son says he wants to kill himself").subject == "other"


@pytest.mark.parametrize("text", ["hello", "my feet are killing me", "", "\x00\x01", "d" * 60_000])
def test_ordinary_or_odd_input_is_no_risk(assessor, text):
    assert assessor.assess(text, recent=["hi"]).level is RiskLevel.NONE


def test_a_possible_risk_category_gives_possible_and_crisis_still_wins():
    patterns = {
        "lists": {"none": ["zzz"]},
        "categories": [
            {"name": "suicidal_intent", "patterns": [{"id": "kill-me", "pattern": "kill myself"}]},
            {"name": "low_and_hopeless", "level": "possible", "patterns": [{"id": "no-point", "pattern": "no point"}]},
        ],
    }
    assessor = RiskAssessor(CrisisDetector(build_pipeline(), patterns, "test"))
    assert assessor.assess("there's no point").level is RiskLevel.POSSIBLE
    assert assessor.assess("no point, i'll kill myself").level is RiskLevel.CRISIS


def test_a_crisis_category_after_a_possible_one_is_refused():
    patterns = {
        "lists": {"none": ["zzz"]},
        "categories": [
            {"name": "low", "level": "possible", "patterns": [{"id": "a", "pattern": "no point"}]},
            {"name": "intent", "patterns": [{"id": "b", "pattern": "kill myself"}]},
        ],
    }
    with pytest.raises(ValueError, match="must come before"):
        CrisisDetector(build_pipeline(), patterns, "test")
