"""How much risk a message carries: the one question every channel asks before anything else.

Three outcomes, so the reply can fit the message (docs/clinical-safety.md):

- CRISIS: the full crisis reply at once;
- POSSIBLE: the contacts and a kind "Are you safe right now?" in one reply;
- NONE: carry on.

`RiskAssessor` is the single entry point the NLU component, the SMS path and the bench use.
Today it layers the normalised spaCy patterns (detection.py); the learned classifier and the
context of recent messages add to it without changing this interface. Nothing here logs or
stores the text.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Iterable

from bot.services.crisis.detection import CrisisDetector, default_patterns_path


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


NO_RISK = RiskAssessment(RiskLevel.NONE)


class RiskAssessor:
    """Layers cheap to dear: patterns first; later layers only when the patterns find nothing."""

    def __init__(self, patterns: CrisisDetector) -> None:
        self.patterns = patterns

    @classmethod
    def from_files(cls, pipeline_path: Path, patterns_path: Path | None = None) -> "RiskAssessor":
        return cls(CrisisDetector.from_files(pipeline_path, patterns_path or default_patterns_path()))

    def assess(self, text: str, recent: Iterable[str] = ()) -> RiskAssessment:
        """`recent` is the same person's last few messages, oldest first, for context."""
        signal = self.patterns.detect(text or "")
        if signal is not None:
            subject = "other" if signal.about_someone_else else "self"
            return RiskAssessment(RiskLevel(signal.level), signal.category, 1.0, subject)
        return NO_RISK
