"""Questions about crisis help are not alarms (bot/services/crisis/help_questions.py, through
RiskAssessor): they are told from crisis language by what is left once the question is taken out."""

from __future__ import annotations

import pytest

from bot.language.spacy_pipeline import build_pipeline
from bot.services.crisis.detection import CrisisDetector, default_patterns_path
from bot.services.crisis.help_questions import HelpQuestions
from bot.services.crisis.risk import RiskAssessor, RiskLevel


@pytest.fixture(scope="module")
def assessor() -> RiskAssessor:
    import yaml

    nlp = build_pipeline()
    patterns = yaml.safe_load(default_patterns_path().read_text(encoding="utf-8"))
    return RiskAssessor(CrisisDetector(nlp, patterns, "crisis_patterns.yml"), HelpQuestions.from_file(nlp))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("what should go in a crisis plan?", "crisis_plan"),
        ("how do I write my crisis plan", "crisis_plan"),
        ("what's the crisis line number?", "contacts"),
        ("who do I call in a crisis", "contacts"),
        ("who can I ring during a crisis?", "contacts"),
        ("what do you do in a crisis", "contacts"),
        ("can i text someone in a crisis", "contacts"),
        ("is there a number i can text in a crisis", "contacts"),
    ],
)
def test_a_question_about_crisis_help_is_no_alarm(assessor, text, kind):
    assert assessor.assess(text).level is RiskLevel.NONE
    question = assessor.help_question(text)
    assert question is not None and question.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "who do I call in a crisis, I want to die",
        "I'm in crisis",
        "can i text someone, i'm in crisis",
        "who do i call, i'm in crisis",
        "who can i ring im in crisis",
        "what do i do im in a crisis",
        "my crisis plan is useless, I want to end my life",
    ],
)
def test_crisis_language_around_a_question_is_still_a_crisis(assessor, text):
    assert assessor.assess(text).level is RiskLevel.CRISIS
    assert assessor.help_question(text) is None


def test_ordinary_words_are_no_question(assessor):
    assert assessor.help_question("show my triggers") is None
    assert assessor.help_question("") is None


def test_only_known_kinds_are_accepted():
    with pytest.raises(ValueError, match="categories must be among"):
        HelpQuestions(
            build_pipeline(),
            {
                "lists": {"none": ["zzz"]},
                "categories": [{"name": "other", "patterns": [{"id": "a", "pattern": "crisis"}]}],
            },
        )
