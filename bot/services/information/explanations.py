"""Short explanations from content/information.yml, chosen by the words someone uses.

Every answer ends with its source on a line of its own ("Source: NHS England
(england.nhs.uk)"), made from the file's `source_line`, the piece's `source_name` and the
website in its `source`. The text and that line together fit one SMS, checked on load, so over
SMS an answer is one text with its source, and the web chat shows the source as its last line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.common.content_files import read_content
from bot.common.sms_text import MAX_SMS_CHARS, gsm7_length, gsm7_problem
from bot.settings import PROJECT_ROOT

INFORMATION_PATH = PROJECT_ROOT / "content" / "information.yml"
MAX_CHARS = MAX_SMS_CHARS
_WEBSITE = re.compile(r"https://(?:www\.)?([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


@dataclass(frozen=True)
class Piece:
    id: str
    keywords: tuple[str, ...]
    text: str
    source: str  # the full reference, with its web address
    source_line: str  # what a person is shown: "Source: NHS England (england.nhs.uk)"

    @property
    def answer(self) -> str:
        """What a person is sent: the text, then its source on the last line."""
        return f"{self.text}\n{self.source_line}"


def load_information(path: Path | str | None = None) -> tuple[tuple[Piece, ...], str]:
    """The pieces and the "not found" reply. ValueError names the file, piece and problem."""
    return _load(Path(path).resolve() if path is not None else INFORMATION_PATH)


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[tuple[Piece, ...], str]:
    data = read_content(path)
    template = " ".join(str(data.get("source_line") or "").split())
    if "{name}" not in template or "{website}" not in template:
        raise ValueError(f"{path}: source_line: needs {{name}} and {{website}}, like 'Source: {{name}} ({{website}})'")
    pieces = []
    for index, raw in enumerate(data.get("pieces") or []):
        entry = f"{path}: pieces[{raw.get('id', index)}]"
        for field in ("id", "keywords", "text", "source", "source_name"):
            if not raw.get(field):
                raise ValueError(f"{entry}: needs '{field}'")
        text = " ".join(raw["text"].split())
        problem = gsm7_problem(text)
        if problem:
            raise ValueError(f"{entry}.text: {problem}")
        website = _WEBSITE.search(str(raw["source"]))
        if website is None:
            raise ValueError(f"{entry}.source: needs the https:// address the text comes from")
        try:
            source_line = template.format(name=" ".join(str(raw["source_name"]).split()), website=website.group(1))
        except (KeyError, IndexError, ValueError):
            raise ValueError(f"{path}: source_line: only {{name}} and {{website}} can be filled in") from None
        problem = gsm7_problem(source_line)
        if problem:
            raise ValueError(f"{entry}.source_name: {problem}")
        piece = Piece(raw["id"], tuple(k.lower() for k in raw["keywords"]), text, raw["source"], source_line)
        length = gsm7_length(piece.answer)
        if length > MAX_CHARS:
            raise ValueError(
                f"{entry}.text: with its source line this is {length} SMS characters; the limit is "
                f"{MAX_CHARS} (one SMS). Shorten the text or the source_name"
            )
        pieces.append(piece)
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
