"""What a carer can be told, from content/carers.yml (the same honest answer for everyone
until sharing by consent exists)."""
from __future__ import annotations

from functools import lru_cache

import yaml

from bot.services.wrap_content import gsm7_length, gsm7_problem
from bot.settings import PROJECT_ROOT

CARERS_PATH = PROJECT_ROOT / "content" / "carers.yml"
MAX_CHARS = 320


@lru_cache(maxsize=1)
def what_a_carer_can_be_told() -> tuple[str, ...]:
    """The answer, one SMS-sized message at a time. ValueError names the file and message."""
    data = yaml.safe_load(CARERS_PATH.read_text(encoding="utf-8"))
    messages = tuple(" ".join(str(m).split()) for m in data.get("what_can_i_be_told") or [])
    if not messages or not str(data.get("source", "")).strip():
        raise ValueError(f"{CARERS_PATH}: needs what_can_i_be_told messages and a source")
    for index, message in enumerate(messages):
        problem = gsm7_problem(message)
        if problem or gsm7_length(message) > MAX_CHARS:
            raise ValueError(f"{CARERS_PATH}: what_can_i_be_told[{index}]: {problem or 'longer than one SMS'}")
    return messages
