"""Filling a content text's placeholders so that every sentence still starts with a capital.

A name phrase such as "your mum" may be placed at the start of a sentence ("Done. {name} is no
longer linked") or in the middle of one ("say 'stop sharing with {my_name}'"). The words in
content/ stay as a service writes them; only a value that begins a sentence gets a capital.
"""

from __future__ import annotations

from string import Formatter
from typing import Any

_SENTENCE_ENDS = (".", "!", "?")


def _starts_sentence(before: str) -> bool:
    before = before.rstrip()
    return not before or before.endswith(_SENTENCE_ENDS)


def fill(template: str, **values: Any) -> str:
    """template.format(**values), with a value that starts a sentence given a capital letter."""
    parts: list[str] = []
    for literal, field, spec, _conversion in Formatter().parse(template):
        parts.append(literal)
        if field is None:
            continue
        value = format(str(values[field]), spec or "")
        if value and _starts_sentence("".join(parts)):
            value = value[0].upper() + value[1:]
        parts.append(value)
    return "".join(parts)
