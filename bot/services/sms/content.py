"""What Alongside says about SMS itself, from content/sms.yml, checked when loaded.

Each text must go as plain SMS (GSM-7) in one message of at most 320 characters; a mistake
raises ValueError naming the file, the entry and the problem, so start-up stops with it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.common.sms_text import MAX_SMS_CHARS
from bot.common.sms_text import gsm7_problem
from bot.settings import PROJECT_ROOT

SMS_CONTENT_PATH = PROJECT_ROOT / "content" / "sms.yml"
TEXT_IDS = ("help", "opt_out_confirmation", "opted_in", "something_went_wrong", "slow_down")


@dataclass(frozen=True)
class SmsContent:
    texts: dict[str, str]
    choices_intro: str
    choice_item: str

    def text(self, text_id: str) -> str:
        return self.texts[text_id]


def _checked(path: Path, entry: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{path}: {entry}: is missing or empty")
    text = " ".join(value.split())
    problem = gsm7_problem(text)
    if problem:
        raise ValueError(f"{path}: {entry}: {problem}")
    if len(text) > MAX_SMS_CHARS:
        raise ValueError(f"{path}: {entry}: is {len(text)} characters; one SMS reply holds {MAX_SMS_CHARS}")
    return text


def read_sms_content(path: Path = SMS_CONTENT_PATH) -> SmsContent:
    """Read and check the file. Raises ValueError naming the file, entry and problem."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not data.get("sources"):
        raise ValueError(f"{path}: file: needs texts, choices and the sources of its numbers")
    texts = data.get("texts") or {}
    checked = {text_id: _checked(path, f"texts.{text_id}", texts.get(text_id)) for text_id in TEXT_IDS}
    choices = data.get("choices") or {}
    intro = _checked(path, "choices.intro", choices.get("intro"))
    item = _checked(path, "choices.item", choices.get("item"))
    if "{number}" not in item or "{title}" not in item:
        raise ValueError(f"{path}: choices.item: must contain {{number}} and {{title}}")
    return SmsContent(checked, intro, item)


@lru_cache(maxsize=1)
def load_sms_content() -> SmsContent:
    return read_sms_content()
