"""Never a dead end: the two-stage fallback (issue 18.2), as plain rules.

First miss: the best 2 or 3 guesses from the classifier's ranking, in plain words from
content/fallback.yml, and "Something else". A second miss in a row (or "Something else"):
an honest "I still don't understand" with what the person can do next. Counted by stage and
best-guess intent only, never the text (FALLBACKS, read by `fallback_counts()`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.common.content_files import read_content
from bot.common.sms_text import checked_sms_text
from bot.services.feelings.content import ITEM_ROOM
from bot.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)
FALLBACK_PATH = PROJECT_ROOT / "content" / "fallback.yml"
MAX_GUESSES = 3
MIN_GUESS_CONFIDENCE = 0.05
REQUIRED_TEXTS = frozenset(
    {
        "did_you_mean",
        "something_else",
        "still_not",
        "not_at_all",
        "ways",
        "ways_team",
        "send_button",
        "ways_carer",
        "crisis_hint",
    }
)
# The intent "Something else" sends: another miss, so the honest second stage.
SOMETHING_ELSE_INTENT = "out_of_scope"
FIRST, SECOND = "first", "second"

# How many fallbacks of each stage, and of each best guess, since the process started. Only
# intent names and stages: never what was typed.
FALLBACKS: Counter[tuple[str, str]] = Counter()


@dataclass(frozen=True)
class FallbackContent:
    texts: dict[str, str]
    guesses: dict[str, str]


@dataclass(frozen=True)
class Guess:
    intent: str
    title: str


@lru_cache(maxsize=2)
def load_fallback_content(path: Path = FALLBACK_PATH) -> FallbackContent:
    data = read_content(path) or {}
    texts = {
        str(key): checked_sms_text(path, f"texts.{key}", value, ITEM_ROOM)
        for key, value in (data.get("texts") or {}).items()
    }
    missing = REQUIRED_TEXTS - set(texts)
    if missing:
        raise ValueError(f"{path}: texts.{sorted(missing)[0]}: is missing")
    guesses = {
        str(key): checked_sms_text(path, f"guesses.{key}", value, ITEM_ROOM)
        for key, value in (data.get("guesses") or {}).items()
    }
    if not guesses:
        raise ValueError(f"{path}: guesses: needs at least one intent")
    return FallbackContent(texts, guesses)


def best_guesses(ranking: Iterable[Mapping[str, Any]], content: FallbackContent | None = None) -> list[Guess]:
    """The 2 or 3 likeliest intents that can be offered, best first (one alone is not a choice)."""
    content = content or load_fallback_content()
    guesses = [
        Guess(str(entry["name"]), content.guesses[str(entry["name"])])
        for entry in ranking
        if str(entry.get("name")) in content.guesses and float(entry.get("confidence") or 0.0) >= MIN_GUESS_CONFIDENCE
    ][:MAX_GUESSES]
    return guesses if len(guesses) >= 2 else []


def stage(previous_action: str | None, guesses: list[Guess], fallback_action: str) -> str:
    """Second when the last thing Alongside did was this fallback, or when there is nothing to guess."""
    return SECOND if previous_action == fallback_action or not guesses else FIRST


def count(stage_name: str, guesses: list[Guess]) -> None:
    """One fallback counted, and logged for the service: stage and best guess, never the text."""
    best = guesses[0].intent if guesses else "none"
    FALLBACKS[(stage_name, best)] += 1
    logger.info("fallback stage=%s best_guess=%s", stage_name, best)


def fallback_counts() -> dict[tuple[str, str], int]:
    """(stage, best-guess intent) -> how many, for the service to see what people ask for."""
    return dict(FALLBACKS)
