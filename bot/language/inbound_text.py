"""Clean what a person sends before Rasa sees it, the same way on every channel.

Rasa treats any text starting with "/" as an intent with entities, skipping NLU (and so the
crisis detector). People type "/" by accident too, so we do not refuse it: the leading slashes
are dropped and the rest is read as ordinary words. Control characters (including NUL, which
PostgreSQL refuses) are removed; line breaks are kept. Lone surrogates ("\ud83d", half an emoji,
which JSON and Socket.IO let through) are removed too: spaCy cannot encode them and raised,
so the message, crisis language included, got no reply at all.
"""

from __future__ import annotations

import re

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_LEADING_SLASHES = re.compile(r"^[\s/]+")


def drop_unsafe_characters(text: str) -> str:
    """The text without control characters (line breaks stay) or lone surrogates; shared with
    the matching form (bot/language/normalise.py)."""
    return _CONTROL_CHARACTERS.sub("", text)


def clean_inbound_text(text: object) -> str:
    """Text safe to hand to Rasa: a string, no control characters or lone surrogates, never an
    intent command."""
    if not isinstance(text, str):
        return ""
    return _LEADING_SLASHES.sub("", drop_unsafe_characters(text)).strip()
