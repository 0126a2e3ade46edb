"""Text for plain SMS: GSM-7 characters, messages of at most 320 characters, numbered choices.

One character outside GSM-7 (a curly quote, a long dash, an emoji) switches a whole SMS to
UCS-2, which cuts each part from 153 to 67 characters and roughly doubles the cost. So every
text we send is made plain first: curly quotes become straight, dashes become "-", "…" becomes
"...", emoji and invisible joiners are dropped, accented letters SMS has no plain form for lose
their accent ("ê" -> "e"). Letters of other alphabets that the person wrote themselves
(Arabic, Chinese...) are kept: losing their words would be worse than a dearer message, and
that is a choice, not an accident.

Replies are split at paragraph, then line, then sentence, then word boundaries, so each message
reads on its own and none is longer than Twilio's recommended 320 characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# GSM 03.38: the characters a plain SMS can carry. Anything else (curly quotes, dashes, emoji)
# switches the whole message to UCS-2 and cuts each SMS part from 153 to 67 characters.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")  # allowed, but each costs two characters

MAX_SMS_CHARS = 320  # Twilio's recommendation; DESIGN.md: no SMS over about 320 characters
MIN_SPLIT_CHARS = 20

_REPLACEMENTS = {
    # quotes, dashes, dots
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u02bc": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u2022": "-",
    "\u00b7": "-",
    "\u2044": "/",
    # symbols with a plain form
    "\u00d7": "x",
    "\u00f7": "/",
    "\u00b1": "+/-",
    "\u00a2": "c",
    "\u00b5": "u",
    # Latin letters that do not decompose to a plain letter
    "\u00d0": "D",
    "\u00f0": "d",
    "\u00de": "Th",
    "\u00fe": "th",
    "\u0110": "D",
    "\u0111": "d",
    "\u0126": "H",
    "\u0127": "h",
    "\u0131": "i",
    "\u0138": "k",
    "\u013f": "L",
    "\u0140": "l",
    "\u0141": "L",
    "\u0142": "l",
    "\u014a": "N",
    "\u014b": "n",
    "\u0152": "OE",
    "\u0153": "oe",
    "\u0166": "T",
    "\u0167": "t",
}
# Emoji and invisible helpers (joiners, variation selectors, skin tones, keycaps): dropped.
_DROPPED_CATEGORIES = frozenset({"So", "Sk", "Cs", "Co", "Cn", "Cf", "Cc", "Me"})
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b]")


def _is_variation_selector(char: str) -> bool:
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _plain_char(char: str) -> str:
    if char == "\n":
        return char
    if char.isspace():  # tabs, form feeds, non-breaking and other spaces
        return " "
    if char in GSM7_BASIC or char in GSM7_EXTENSION:
        return char
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    category = unicodedata.category(char)
    if category in _DROPPED_CATEGORIES or category[0] == "M" or _is_variation_selector(char):
        return ""
    # "ê" -> "e", "ﬁ" -> "fi", "½" -> "1/2": the plain form, when SMS has one.
    decomposed = unicodedata.normalize("NFKD", char)
    plain = "".join(_REPLACEMENTS.get(part, part) for part in decomposed if not unicodedata.combining(part))
    if plain and is_gsm7(plain):
        return plain
    if category[0] in "LN":
        return char  # a letter or number of another alphabet: the person's words, kept
    return ""  # a symbol plain SMS has no form for


def plain_sms_text(text: str) -> str:
    """The text with only characters plain SMS can carry (see the module docstring), line
    breaks kept, spaces tidied: no trailing spaces, at most one blank line in a row."""
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))
    plain = "".join(_plain_char(char) for char in text)
    lines = [" ".join(line.split()) for line in plain.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


# -- splitting --------------------------------------------------------------------------------

# Coarsest first: each level's units are joined back with its joiner.
_LEVELS = (
    ("\n\n", re.compile(r"\n\s*\n")),
    ("\n", re.compile(r"\n")),
    (" ", re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"')\]])\s+")),
    (" ", re.compile(r"\s+")),
)


def split_for_sms(text: str, limit: int = MAX_SMS_CHARS) -> list[str]:
    """Plain-SMS messages of at most `limit` characters, cut at the largest boundary that
    works: paragraph, line, sentence, word (a word longer than a whole message is cut)."""
    if limit < MIN_SPLIT_CHARS:
        raise ValueError(f"limit must be at least {MIN_SPLIT_CHARS}, not {limit}")
    plain = plain_sms_text(text)
    return _split(plain, limit, 0) if plain else []


def split_between_words(text: str, limit: int = MAX_SMS_CHARS) -> list[str]:
    """Plain-SMS messages of at most `limit` characters, filled word by word: the fewest
    messages, for when cutting between sentences would take more than a reply may use."""
    if limit < MIN_SPLIT_CHARS:
        raise ValueError(f"limit must be at least {MIN_SPLIT_CHARS}, not {limit}")
    plain = plain_sms_text(text)
    return _split(plain, limit, len(_LEVELS) - 1) if plain else []


def _split(text: str, limit: int, level: int) -> list[str]:
    if len(text) <= limit:
        return [text]
    if level == len(_LEVELS):
        return [text[start : start + limit] for start in range(0, len(text), limit)]
    joiner, boundary = _LEVELS[level]
    units = [unit.strip() for unit in boundary.split(text) if unit.strip()]
    if len(units) < 2:
        return _split(text, limit, level + 1)
    parts: list[str] = []
    current = ""
    for unit in units:
        for piece in _split(unit, limit, level + 1):
            candidate = f"{current}{joiner}{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                parts.append(current)
                current = piece
    parts.append(current)
    return parts


# -- numbered choices ------------------------------------------------------------------------

_CHOICE_NUMBER = re.compile(r"^\s*#?(\d{1,2})\s*[.):]?\s*$")


def numbered_choices(titles: Sequence[str], intro: str, item: str, start: int = 1) -> str:
    """Buttons as text: the intro, then one line per choice ("1 Yes"), numbered from `start`."""
    lines = [item.format(number=number, title=title) for number, title in enumerate(titles, start=start)]
    return "\n".join([intro, *lines])


def chosen_number(text: str) -> int | None:
    """The number a reply is, if it is only a number ("2", " 2. ", "#2"); otherwise None."""
    match = _CHOICE_NUMBER.match(text or "")
    return int(match.group(1)) if match else None


def gsm7_length(text: str) -> int:
    """How many SMS characters (septets) the text takes; extension characters count twice."""
    return sum(2 if char in GSM7_EXTENSION else 1 for char in text)


def first_non_gsm7(text: str) -> tuple[int, str] | None:
    """The position and character of the first character plain SMS cannot carry, if any."""
    for position, char in enumerate(text):
        if char not in GSM7_BASIC and char not in GSM7_EXTENSION:
            return position, char
    return None


def gsm7_problem(text: str) -> str | None:
    """Why this text would not go as plain SMS, in words for a content editor; None if it would."""
    bad = first_non_gsm7(text)
    if bad is None:
        return None
    position, char = bad
    return (
        f"has {char!r} (U+{ord(char):04X}) at character {position + 1}, which is not "
        "GSM-7 (plain SMS); use straight quotes, plain dashes and no emoji"
    )


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def checked_sms_text(path: object, entry: str, value: object, placeholder_room: int = 0) -> str:
    """A content text that fits one SMS: present, on one line, GSM-7 only, and no longer than
    MAX_SMS_CHARS once each {placeholder} is filled with `placeholder_room` characters. The one
    check for every content file whose words go out by SMS; the error names file and entry."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{path}: {entry}: is missing or empty")
    text = " ".join(value.split())
    problem = gsm7_problem(text)
    if problem:
        raise ValueError(f"{path}: {entry}: {problem}")
    filled = _PLACEHOLDER.sub("x" * placeholder_room, text) if placeholder_room else text
    if gsm7_length(filled) > MAX_SMS_CHARS:
        room = f" (with {placeholder_room} characters for each placeholder)" if placeholder_room else ""
        raise ValueError(f"{path}: {entry}: longer than {MAX_SMS_CHARS} SMS characters{room}")
    return text
