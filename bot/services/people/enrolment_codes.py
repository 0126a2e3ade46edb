"""The shape of an enrolment code ("KMTR-4829"): making one, finding one in a message.

Four letters (never I, L or O, which look like 1 and 0) and four digits: about 2.8 billion
codes. Kept apart from bot/services/people/enrolment.py so the NLU component can use it without the
database.
"""

from __future__ import annotations

import re
import secrets

CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_DIGITS = "0123456789"
_CODE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{4})([ -]?)([0-9]{4})(?![A-Za-z0-9])")
_WORD = re.compile(r"[a-z']+")
# Words that say a message is about an enrolment code.
ENROLMENT_WORDS = frozenset({"code", "codes", "enrol", "enroll", "enrolment", "enrollment", "enrolled"})
# Other words a bare code may come with ("it's KMTR-4829 thanks").
MAX_OTHER_WORDS = 3


def new_code() -> str:
    letters = "".join(secrets.choice(CODE_LETTERS) for _ in range(4))
    digits = "".join(secrets.choice(CODE_DIGITS) for _ in range(4))
    return f"{letters}-{digits}"


def find_code(text: str) -> str | None:
    """The code in a message ("my code is kmtr 4829" -> "KMTR-4829"); None if none."""
    found = _CODE.search(text or "")
    return f"{found.group(1).upper()}-{found.group(3)}" if found else None


def mentions_enrolment(text: str) -> bool:
    return any(word in ENROLMENT_WORDS for word in _WORD.findall((text or "").casefold()))


def is_enrolment_message(text: str) -> bool:
    """Whether a message is someone sending their code, for the NLU component.

    Yes when it names a code ("my enrolment code is june 2024" counts: they said so), or when
    it is a code made of letters we use, with at most a few other words ("KMTR-4829 thanks"),
    or none if typed with a space ("kmtr 4829"). "room 1234", "june 2024 was hard" or a long
    sentence with a date in it are not.
    """
    found = _CODE.search(text or "")
    if not found:
        return False
    if mentions_enrolment(text):
        return True
    letters, separator = found.group(1).upper(), found.group(2)
    if any(letter not in CODE_LETTERS for letter in letters):
        return False
    other_words = len(_WORD.findall((text[: found.start()] + " " + text[found.end() :]).casefold()))
    return other_words == 0 if separator == " " else other_words <= MAX_OTHER_WORDS
