"""The held-out multi-message cases (heldout/context.yml) through RiskAssessor with context: an
evaluation, never tuned to. It measures, and fails only on what the context rule itself owns:
it must catch crisis cases that single messages miss, and never make an ordinary conversation
an alarm (a raise needs risk language somewhere in it)."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from bot.language.spacy_pipeline import build_pipeline
from bot.services.crisis.detection import CrisisDetector, default_patterns_path
from bot.services.crisis.help_questions import HelpQuestions
from bot.services.crisis.risk import RiskAssessor, RiskLevel
from tests.evaluation.sets import HERE

ORDER = {"none": 0, "possible": 1, "crisis": 2}


@pytest.fixture(scope="module")
def assessor() -> RiskAssessor:
    nlp = build_pipeline()
    patterns = yaml.safe_load(default_patterns_path().read_text(encoding="utf-8"))
    return RiskAssessor(CrisisDetector(nlp, patterns, "crisis_patterns.yml"), HelpQuestions.from_file(nlp))


def cases() -> list[dict]:
    return yaml.safe_load((HERE / "heldout" / "context.yml").read_text(encoding="utf-8"))


def test_context_catches_what_single_messages_miss_and_adds_no_alarm_of_its_own(assessor):
    table: Counter = Counter()
    for case in cases():
        *recent, last = case["messages"]
        alone = assessor.assess(last).level.value
        together = assessor.assess(last, recent).level.value
        table[(case["expect"], alone, together)] += 1
        assert ORDER[together] >= ORDER[alone], case  # context only raises
        if ORDER[together] > ORDER[alone]:
            # a raise always rests on risk found in the messages, alone or read together
            earlier = [assessor.assess(text).level for text in recent]
            joined = assessor.assess(" ".join(case["messages"])).level
            assert any(level is not RiskLevel.NONE for level in [*earlier, joined]), case
    caught_alone = sum(n for (expect, alone, _), n in table.items() if expect == "crisis" and alone != "none")
    caught_together = sum(n for (expect, _, together), n in table.items() if expect == "crisis" and together != "none")
    print("\nexpect, alone, with context: count")
    for key, count in sorted(table.items()):
        print(*key, count)
    assert caught_together > caught_alone
