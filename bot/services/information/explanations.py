"""Short explanations from content/information.yml, chosen by the words someone uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.common.content_files import read_content
from bot.common.sms_text import MAX_SMS_CHARS, gsm7_length, gsm7_problem
from bot.settings import PROJECT_ROOT

INFORMATION_PATH = PROJECT_ROOT / "content" / "information.yml"
MAX_CHARS = MAX_SMS_CHARS


@dataclass(frozen=True)
class Piece:
    id: str
    keywords: tuple[str, ...]
    text: str
    source: str


@lru_cache(maxsize=1)
def load_information() -> tuple[tuple[Piece, ...], str]:
    """The pieces and the "not found" reply. ValueError names the file, piece and problem."""
    data = read_content(INFORMATION_PATH)
    pieces = []
    for index, raw in enumerate(data.get("pieces") or []):
        entry = f"{INFORMATION_PATH}: pieces[{raw.get('id', index)}]"
        for field in ("id", "keywords", "text", "source"):
            if not raw.get(field):
                raise ValueError(f"{entry}: needs '{field}'")
        text = " ".join(raw["text"].split())
        problem = gsm7_problem(text)
        if problem:
            raise ValueError(f"{entry}.text: {problem}")
        if gsm7_length(text) > MAX_CHARS:
            raise ValueError(f"{entry}.text: longer than {MAX_CHARS} SMS characters")
        pieces.append(Piece(raw["id"], tuple(k.lower() for k in raw["keywords"]), text, raw["source"]))
    return tuple(pieces), " ".join(str(data["not_found"]).split())


def piece_for(message: str) -> Piece | None:
    """The piece that matches most of what was said (the total length of its keywords found in
    the message), or None. "How long will I have a care coordinator?" matches both "how long"
    and "care coordinator", so the piece about how long beats the general one."""
    lowered = (message or "").lower().replace("\u2019", "'")
    best: tuple[int, Piece] | None = None
    for piece in load_information()[0]:
        score = sum(len(k) for k in piece.keywords if re.search(rf"\b{re.escape(k)}\b", lowered))
        if score and (best is None or score > best[0]):
            best = (score, piece)
    return best[1] if best else None
