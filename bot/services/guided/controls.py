"""Reading steering words ("skip", "later", "go back") inside a guided conversation.

Guided flows take free text as answers, so the words that steer them are matched exactly
(after light tidying) rather than by the intent classifier: "I stop answering the phone" is an
early warning sign, not a request to stop. The words live in content/controls.yml.
"""

from __future__ import annotations

import enum
import re
from functools import lru_cache
from pathlib import Path

from bot.common.content_files import read_content
from bot.settings import PROJECT_ROOT

CONTROLS_PATH = PROJECT_ROOT / "content" / "controls.yml"
_FILLER = re.compile(r"\b(please|pls|thanks|thank you|ok|okay)\b")
_NOT_WORDS = re.compile(r"[^a-z' ]+")


class Control(str, enum.Enum):
    stop = "stop"
    later = "later"
    skip = "skip"
    back = "back"
    undo = "undo"


def _tidy(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    text = _FILLER.sub(" ", _NOT_WORDS.sub(" ", text))
    return " ".join(text.split())


@lru_cache(maxsize=2)
def _phrases(path: Path = CONTROLS_PATH) -> dict[str, Control]:
    data = read_content(path)
    phrases: dict[str, Control] = {}
    for name, words in (data.get("controls") or {}).items():
        try:
            control = Control(name)
        except ValueError as error:
            raise ValueError(f"{path}: controls.{name}: unknown control") from error
        for phrase in words:
            phrases[_tidy(str(phrase))] = control
    return phrases


def control_in(text: str) -> Control | None:
    """The steering instruction this whole message is, or None if it is an answer."""
    return _phrases().get(_tidy(text or ""))
