"""The crisis evaluation sets, read once for the detector's test and the whole-agent test."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def crisis_cases() -> list[tuple[str, str, bool]]:
    """(message, category, about someone else) for every crisis message."""
    data = yaml.safe_load((HERE / "crisis_messages.yml").read_text(encoding="utf-8"))
    return [
        (str(text), category, subject == "someone_else")
        for category, subjects in data.items()
        for subject, texts in subjects.items()
        for text in texts
    ]


@lru_cache(maxsize=1)
def ordinary_messages() -> list[str]:
    data = yaml.safe_load((HERE / "ordinary_messages.yml").read_text(encoding="utf-8"))
    return [str(text) for texts in data.values() for text in texts]
