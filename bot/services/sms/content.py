"""What Alongside says about SMS itself, from content/sms.yml, checked when loaded.

Each text must go as plain SMS (GSM-7) in one message of at most 320 characters; a mistake
raises ValueError naming the file, the entry and the problem, so start-up stops with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.common.content_files import read_content
from bot.common.sms_text import checked_sms_text
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


def read_sms_content(path: Path = SMS_CONTENT_PATH) -> SmsContent:
    """Read and check the file. Raises ValueError naming the file, entry and problem."""
    data = read_content(path)
    if not isinstance(data, dict) or not data.get("sources"):
        raise ValueError(f"{path}: file: needs texts, choices and the sources of its numbers")
    texts = data.get("texts") or {}
    checked = {text_id: checked_sms_text(path, f"texts.{text_id}", texts.get(text_id)) for text_id in TEXT_IDS}
    choices = data.get("choices") or {}
    intro = checked_sms_text(path, "choices.intro", choices.get("intro"))
    item = checked_sms_text(path, "choices.item", choices.get("item"))
    if "{number}" not in item or "{title}" not in item:
        raise ValueError(f"{path}: choices.item: must contain {{number}} and {{title}}")
    return SmsContent(checked, intro, item)


@lru_cache(maxsize=1)
def load_sms_content() -> SmsContent:
    return read_sms_content()
