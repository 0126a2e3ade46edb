"""The web chat's own words, read from content/webchat.yml and checked when loaded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from bot.common.content_files import read_content
from bot.settings import PROJECT_ROOT

WEBCHAT_CONTENT_PATH = PROJECT_ROOT / "content" / "webchat.yml"
MAX_MESSAGE_CHARS = 4000  # far more than one thought; the page says so before sending

REQUIRED: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "page": (
            "title",
            "heading",
            "intro",
            "help_link",
            "conversation_label",
            "you_said",
            "alongside_said",
            "suggestions_label",
            "message_label",
            "message_hint",
            "send_button",
            "help_heading",
            "help_intro",
            "back_to_chat",
            "no_script",
        ),
        "status": ("connecting", "connected", "reconnecting", "ended", "too_long"),
        "replies": ("not_text", "too_long", "slow_down"),
    }
)


@dataclass(frozen=True)
class WebchatContent:
    page: Mapping[str, str]
    status: Mapping[str, str]
    replies: Mapping[str, str]


def _group(data: dict, group: str, keys: tuple[str, ...], path: Path) -> Mapping[str, str]:
    raw = data.get(group)
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: {group}: must be a mapping of texts")
    texts = {}
    for key in keys:
        text = raw.get(key)
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{path}: {group}.{key}: is missing or empty")
        texts[key] = " ".join(text.split()).replace("{max}", f"{MAX_MESSAGE_CHARS:,}")
    return MappingProxyType(texts)


@lru_cache(maxsize=2)
def load_webchat_content(path: Path = WEBCHAT_CONTENT_PATH) -> WebchatContent:
    """Raises ValueError naming the file and the key when something is missing."""
    data = read_content(path)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: must be a mapping with page, status and replies")
    groups = {group: _group(data, group, keys, path) for group, keys in REQUIRED.items()}
    return WebchatContent(**groups)
