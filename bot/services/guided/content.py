"""Wording for the guided conversations in content/goals.yml, stuck.yml, bucket.yml and
care_coordination_tour.yml: shared texts, and questions or steps asked in order.

Checked when loaded (and before start-up, by bot/content_check.py): every text is
there, plain SMS characters only, at most one SMS reply (320 characters) with its
placeholders filled, and every text the code asks for exists. A mistake raises ValueError
naming the file, the entry and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.common.content_files import read_content
from bot.common.sms_text import MAX_SMS_CHARS, checked_sms_text, gsm7_length
from bot.settings import PROJECT_ROOT

CONTENT_DIR = PROJECT_ROOT / "content"
MAX_CHARS = MAX_SMS_CHARS
# Room left for a placeholder's value when checking a text's length ({coordinator} -> a name).
PLACEHOLDER_ROOM = 20


@dataclass(frozen=True)
class Step:
    """A question asked in order (stuck, bucket), or one step of a tour."""

    id: str
    text: str
    label: str = ""
    example: str = ""
    source: str = ""

    @property
    def message(self) -> str:
        """The question with its example, as it is sent."""
        return f"{self.text}\n{self.example}" if self.example else self.text


@dataclass(frozen=True)
class GuidedContent:
    path: Path
    texts: dict[str, str]
    steps: tuple[Step, ...]
    lists: dict[str, tuple[str, ...]]
    # Ids of texts under `fragments:`: pieces put inside other texts ("better", "every Monday
    # at 10am"), never sent alone. text() finds them like any other.
    fragment_ids: frozenset[str] = frozenset()

    def text(self, text_id: str, **values: Any) -> str:
        return self.texts[text_id].format(**{k: str(v) for k, v in values.items()})

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def step_after(self, step_id: str | None) -> Step | None:
        ids = [step.id for step in self.steps]
        if step_id is None:
            return self.steps[0] if self.steps else None
        index = ids.index(step_id) + 1
        return self.steps[index] if index < len(self.steps) else None


# The texts each file must have (the code asks for them by id).
REQUIRED_TEXTS: dict[str, frozenset[str]] = {}
STEP_FIELDS = {
    "goals.yml": None,
    "stuck.yml": "questions",
    "bucket.yml": "questions",
    "care_coordination_tour.yml": "steps",
}


def load(name: str) -> GuidedContent:
    return _load(CONTENT_DIR / name)


def clear_cache() -> None:
    _load.cache_clear()


@lru_cache(maxsize=8)
def _load(path: Path) -> GuidedContent:
    data = read_content(path) or {}
    texts = {}
    for text_id, value in (data.get("texts") or {}).items():
        texts[str(text_id)] = checked_sms_text(path, f"texts.{text_id}", value, PLACEHOLDER_ROOM)
    fragments = data.get("fragments") or {}
    for text_id, value in fragments.items():
        if str(text_id) in texts:
            raise ValueError(f"{path}: fragments.{text_id}: is also in texts")
        texts[str(text_id)] = checked_sms_text(path, f"fragments.{text_id}", value, PLACEHOLDER_ROOM)
    missing = REQUIRED_TEXTS.get(path.name, frozenset()) - set(texts)
    if missing:
        raise ValueError(f"{path}: texts.{sorted(missing)[0]}: is missing")
    steps = []
    field = STEP_FIELDS.get(path.name) or ("questions" if "questions" in data else "steps")
    for index, raw in enumerate(data.get(field) or []):
        entry = f"{field}[{raw.get('id', index) if isinstance(raw, dict) else index}]"
        if not isinstance(raw, dict) or not raw.get("id"):
            raise ValueError(f"{path}: {entry}: needs an 'id'")
        text = checked_sms_text(path, f"{entry}.text", raw.get("text"), PLACEHOLDER_ROOM)
        example = (
            checked_sms_text(path, f"{entry}.example", raw["example"], PLACEHOLDER_ROOM) if raw.get("example") else ""
        )
        step = Step(str(raw["id"]), text, str(raw.get("label") or ""), example, str(raw.get("source") or ""))
        if gsm7_length(step.message) > MAX_CHARS:
            raise ValueError(f"{path}: {entry}: text and example are longer than {MAX_CHARS} SMS characters")
        steps.append(step)
    if len({step.id for step in steps}) != len(steps):
        raise ValueError(f"{path}: {field}: two entries have the same id")
    lists = {
        str(name): tuple(" ".join(str(word).lower().split()) for word in words)
        for name, words in (data.get("words") or {}).items()
    }
    return GuidedContent(path, texts, tuple(steps), lists, frozenset(str(key) for key in fragments))


def check_all() -> None:
    """Load every guided content file (for bot/content_check.py)."""
    for name in STEP_FIELDS:
        load(name)
