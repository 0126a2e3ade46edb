"""Evaluation hygiene, one way for every check: when two lines count as the same, and how an
external evaluation file is read.

The external files (../shared/eval/external/*.tsv) are for evaluation only. A training line
with the same words as one of theirs would make a measured figure a lie, so the bench counts
such lines and the tests refuse them. Neither ever prints an external line.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path


def words_key(text: str) -> str:
    """The words alone: case, spacing and punctuation do not make a line new, and an apostrophe
    counts as a space ("I'm" and the external files' "i m" are the same words)."""
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def tsv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of an external file (columns text, topic or label, source); none when absent."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if row.get("text")]


def holds_a_line(key: str, lines: set[str], shortest: int = 3) -> bool:
    """True when the words `key` hold one of `lines` (words keys of `shortest` words or more) whole:
    "hi, what can you do" holds "what can you do". A line padded with a greeting is still the line."""
    words = key.split()
    return any(
        " ".join(words[start : start + size]) in lines
        for size in range(shortest, len(words) + 1)
        for start in range(len(words) - size + 1)
    )
