"""How much risk a message carries: the one question every channel asks before anything else.

Three outcomes, so the reply can fit the message (docs/clinical-safety.md):

- CRISIS: the full crisis reply at once;
- POSSIBLE: the contacts and a kind "Are you safe right now?" in one reply;
- NONE: carry on.

`RiskAssessor` is the single entry point the NLU component, the SMS path and the bench use.
Today it layers the normalised spaCy patterns (detection.py); a question about crisis help
("who do I call in a crisis?") is not an alarm (help_questions.py); the last few messages of the
conversation can raise the risk (context.py). The learned classifier adds to the layers without
changing this interface. Nothing here logs or stores the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from bot.services.crisis.classifier import RiskClassifier, Thresholds
from bot.services.crisis.detection import CrisisDetector, default_patterns_path, normalise
from bot.services.crisis.help_questions import HelpQuestion, HelpQuestions

# Pattern categories (content/crisis_patterns.yml) where the person is being hurt by someone:
# their crisis reply leads with 999 and the National Domestic Abuse Helpline (content/crisis.yml
# for_being_harmed), not with the self-harm lines.
BEING_HARMED_CATEGORIES = frozenset({"abuse"})


class RiskLevel(str, Enum):
    CRISIS = "crisis"
    POSSIBLE = "possible"
    NONE = "none"


@dataclass(frozen=True)
class RiskAssessment:
    """What was found: `kind` names the pattern category or "classifier" or "context";
    `score` is in [0, 1] (1.0 for a pattern match); `subject` is "self" or "other"."""

    level: RiskLevel
    kind: str = ""
    score: float = 0.0
    subject: str = "self"

    @property
    def is_risk(self) -> bool:
        return self.level is not RiskLevel.NONE

    @property
    def reply_for(self) -> str:
        """Whom the crisis reply is worded for: "self", "other" (a carer or friend about someone
        else) or "being_harmed" (the person says someone is hurting them)."""
        if self.subject == "self" and self.kind in BEING_HARMED_CATEGORIES:
            return "being_harmed"
        return self.subject


NO_RISK = RiskAssessment(RiskLevel.NONE)


class RiskAssessor:
    """Layers cheap to dear: patterns first; later layers only when the patterns find nothing."""

    def __init__(
        self,
        patterns: CrisisDetector,
        help_questions: HelpQuestions | None = None,
        *,
        classifier: RiskClassifier | None = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        """`classifier` is the learned layer (classifier.py), asked only when no pattern matched;
        without it only the patterns decide (the bench measures both)."""
        self.patterns = patterns
        self.help_questions = help_questions
        self.classifier = classifier
        self.thresholds = thresholds or Thresholds()

    @classmethod
    def from_files(
        cls,
        pipeline_path: Path,
        patterns_path: Path | None = None,
        *,
        classifier: RiskClassifier | None = None,
        thresholds: Thresholds | None = None,
    ) -> RiskAssessor:
        patterns = CrisisDetector.from_files(pipeline_path, patterns_path or default_patterns_path())
        return cls(patterns, HelpQuestions.from_file(patterns.nlp), classifier=classifier, thresholds=thresholds)

    def assess(self, text: str, recent: Iterable[str] = ()) -> RiskAssessment:
        """`recent` is the same person's last few messages, oldest first, for context."""
        from bot.services.crisis.context import with_context  # context.py builds on this module

        return with_context(self.assess_message(text), text, tuple(recent), self.assess_message)

    def assess_message(self, text: str) -> RiskAssessment:
        """One message alone: the layers, less a question that only asks about crisis help."""
        found = self._layers(text)
        if found.is_risk and self.help_question(text) is not None:
            return NO_RISK
        return found

    def help_question(self, text: str) -> HelpQuestion | None:
        """ "Who do I call in a crisis?": the help asked about, when nothing else in it is risk."""
        if self.help_questions is None:
            return None
        return self.help_questions.only_asks(text, lambda rest: self._layers(rest).is_risk)

    def _layers(self, text: str) -> RiskAssessment:
        """The message alone, through each layer: normalised and parsed once for all of them."""
        if not isinstance(text, str) or not text.strip():
            return NO_RISK
        doc = self.patterns.nlp(normalise(text))
        signal = self.patterns.detect_doc(doc)
        if signal is not None:
            subject = "other" if signal.about_someone_else else "self"
            return RiskAssessment(RiskLevel(signal.level), signal.category, 1.0, subject)
        if self.classifier is None or sum(not token.is_punct for token in doc) < self.thresholds.min_words:
            return NO_RISK
        score = self.classifier.score_normalised(doc.text)
        if score >= self.thresholds.crisis:
            level = RiskLevel.CRISIS
        elif score >= self.thresholds.possible:
            level = RiskLevel.POSSIBLE
        else:
            return RiskAssessment(RiskLevel.NONE, "", score)
        return RiskAssessment(level, "classifier", score, self.patterns.subject_of(doc))
