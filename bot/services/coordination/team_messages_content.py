"""The words of a person's message to their care team, from content/team_messages.yml.

Checked when loaded: every text present, plain-SMS characters, and one SMS each once its
placeholders are filled (the quoted words are shortened to the room left, WORDS_ROOM)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.common.content_files import read_content
from bot.common.fill import fill
from bot.common.sms_text import MAX_SMS_CHARS, checked_sms_text
from bot.settings import PROJECT_ROOT

TEAM_MESSAGES_PATH = PROJECT_ROOT / "content" / "team_messages.yml"
REQUIRED_TEXTS = frozenset(
    {"ask", "confirm", "yes_button", "no_button", "sent", "not_sent", "no_coordinator", "not_watched"}
)
NAME_ROOM = 30  # a coordinator's display name
# What is left of one SMS for the person's own words in "confirm".
WORDS_ROOM = 150


@dataclass(frozen=True)
class TeamMessagesContent:
    texts: dict[str, str]

    def text(self, text_id: str, **values: Any) -> str:
        return fill(self.texts[text_id], **values)


@lru_cache(maxsize=2)
def load_team_messages_content(path: Path = TEAM_MESSAGES_PATH) -> TeamMessagesContent:
    data = read_content(path) or {}
    raw = data.get("texts") or {}
    missing = REQUIRED_TEXTS - set(raw)
    if missing:
        raise ValueError(f"{path}: texts.{sorted(missing)[0]}: is missing")
    texts = {str(key): checked_sms_text(path, f"texts.{key}", value, NAME_ROOM) for key, value in raw.items()}
    room = MAX_SMS_CHARS - len(fill(texts["confirm"], coordinator="x" * NAME_ROOM, words=""))
    if room < WORDS_ROOM:
        raise ValueError(f"{path}: texts.confirm: leaves {room} characters for the person's words, not {WORDS_ROOM}")
    return TeamMessagesContent(texts)
