"""Phone numbers typed by staff, put in the one form Twilio uses (E.164: +447700900123).

UK numbers may be typed the everyday way ("07700 900123"); numbers from elsewhere need their
country code ("+353 ..."). The result is what inbound texts carry, so its keyed hash matches.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s().-]")
_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")


class PhoneNumberError(ValueError):
    """Not a phone number we can use; the message says what was expected."""


def is_e164(number: str) -> bool:
    """Whether this is a whole number in E.164, as Twilio sends From: checked before anything
    else is done with an inbound text (a forged From such as "<script>" is refused)."""
    return bool(_E164.match(number))


def normalise_phone(raw: str) -> str:
    number = _SEPARATORS.sub("", raw.strip())
    if number.startswith("00"):
        number = "+" + number[2:]
    elif number.startswith("0"):
        number = "+44" + number[1:]
    elif number.startswith("44") and not number.startswith("+"):
        number = "+" + number
    if not _E164.match(number):
        raise PhoneNumberError(
            "That does not look like a phone number. Type it as you would dial it, "
            "for example 07700 900123 or +44 7700 900123."
        )
    return number
