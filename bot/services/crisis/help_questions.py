"""Questions about crisis help are not alarms: "what should go in a crisis plan?", "who do I
call in a crisis?", "what's the crisis line number?".

The patterns (content/crisis_help_questions.yml, in the crisis patterns' own language) find
the words that ask about help. The message is then read again without them: only when what is
left carries no risk is it a question, so "who do I call, I want to die" stays a crisis. The
file's exclusions drop a question match as they do in the crisis patterns: "who do I call, I'm
in crisis" says the person is in crisis now, so it is not only a question. No
Rasa here; nothing is logged or stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

from bot.common.content_files import read_content
from bot.services.crisis.detection import compile_patterns, normalise
from bot.settings import PROJECT_ROOT

HELP_QUESTIONS_PATH = PROJECT_ROOT / "content" / "crisis_help_questions.yml"
KINDS = ("crisis_plan", "contacts")  # the first found in this order names the question


@dataclass(frozen=True)
class HelpQuestion:
    kind: str  # "crisis_plan" or "contacts"
    rest: str  # the message without the words that ask about help


class HelpQuestions:
    def __init__(self, nlp: Language, data: Any, source: str = str(HELP_QUESTIONS_PATH)) -> None:
        self.nlp = nlp
        self.patterns = compile_patterns(nlp, data, source)
        unknown = set(self.patterns.categories) - set(KINDS)
        if unknown:
            raise ValueError(f"{source}: categories must be among {KINDS}, not {sorted(unknown)}")

    @classmethod
    def from_file(cls, nlp: Language, path: Path = HELP_QUESTIONS_PATH) -> HelpQuestions:
        return cls(nlp, read_content(path), str(path))

    def find(self, text: str) -> HelpQuestion | None:
        """The help the message asks about, with what is left of it, or None."""
        if not isinstance(text, str) or not text.strip():
            return None
        doc = self.nlp(normalise(text))
        spans = []
        kind = None
        for rule, start, end in self.patterns.triggers(doc):
            spans.append((start, end))
            if kind is None or KINDS.index(rule.category) < KINDS.index(kind):
                kind = rule.category
        if kind is None:
            return None
        rest = " ".join(token.text for token in doc if not any(s <= token.i < e for s, e in spans))
        return HelpQuestion(kind, rest)

    def only_asks(self, text: str, has_risk: Callable[[str], bool]) -> HelpQuestion | None:
        """The question, when the message asks about crisis help and nothing else in it is risk."""
        question = self.find(text)
        if question is None or has_risk(question.rest):
            return None
        return question
