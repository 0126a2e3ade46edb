"""Reading "remove crowds from my triggers" and "change crowds to busy places".

The words that ask for the change are in content/controls.yml; what is left is the item the
person means (found with wrap.find_items) and, for a change, the new words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.common.content_files import read_content
from bot.services.guided.controls import CONTROLS_PATH
from bot.services.wrap.content import load_wrap_content


@dataclass(frozen=True)
class EditRequest:
    item_words: str
    new_text: str | None = None
    # The words that name the item (and maybe its section), without the new words: a section
    # named only in the new words ("change ring my sister to take my medication") is not where
    # the item is.
    where_words: str = ""


@lru_cache(maxsize=1)
def _edits() -> dict:
    return read_content(CONTROLS_PATH)["edits"]


def _section_words() -> set[str]:
    words: set[str] = set()
    for section in load_wrap_content().sections:
        for keyword in section.keywords:
            words.update(keyword.lower().split())
    return words


def _without(words: set[str], text: str) -> str:
    kept = [word for word in re.findall(r"[\w']+", text.lower()) if word not in words]
    return " ".join(kept)


def read_remove(text: str) -> EditRequest | None:
    """The item named in a request to remove one, or None if no item is named."""
    item = _without(set(_edits()["remove_words"]) | _section_words(), text)
    return EditRequest(item, where_words=text) if item else None


def read_change(text: str) -> EditRequest | None:
    """The item and its new words in "change X to Y", or None if either is missing."""
    lowered = f" {text.strip()} "
    for separator in _edits()["change_separators"]:
        index = lowered.lower().rfind(separator)
        if index > 0:
            old = _without(set(_edits()["change_words"]), lowered[:index])
            new = lowered[index + len(separator) :].strip().rstrip(".!")
            if old and new:
                return EditRequest(old, new, where_words=lowered[:index])
    return None
