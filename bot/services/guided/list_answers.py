"""Reading list answers the way people write them in a text message or chat.

"crowds, arguments and payday", "crowds; arguments; payday", "1. walks\n2. music" and
"- walks\n- music" are all lists. The rules trust the separators people choose on purpose (new
lines, bullets, numbers, semicolons, commas) and split on "and" / "or" only where that is safe.
They never drop a word. When in doubt an answer stays as one item: the person sees it read back
and can change it, while a wrong split can change what they meant ("not eating or sleeping"
must not become a warning sign called "sleeping").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_ITEM_CHARS = 200  # longer items are cut at sentence or word breaks, never mid-word

# Splitting "x and y" with no commas around: only when every part is one or two words
# ("walks and music"), or every part is a phrase of two to four words ("walking the dog and
# ringing my sister"). A lone word after a phrase usually shares its verb ("talking to Mum and
# Dad"), so that stays whole.
_SHORT_PART_WORDS = 2
_PHRASE_PART_WORDS = range(2, 5)

_CONJUNCTION = re.compile(r"\s+(?:and/or|and|or|nor|&)\s+", re.IGNORECASE)
# Used with .match(), which anchors it at the start (or at the position given).
_LEADING_CONJUNCTION = re.compile(r"(?:(?:and/or|and|or|nor)\s+|&\s*)", re.IGNORECASE)
# A comma, except inside a number such as 1,000.
_COMMA = re.compile(r"(?<!\d),|,(?!\d)|[，、]")
_SEMICOLON = re.compile(r"[;；]")
_INLINE_BULLET = re.compile(r"[•‣◦▪●]")
# A bullet or number at the start of a line: "- walks", "* walks", "1. walks", "2) walks", "(3) walks".
_MARKER = re.compile(
    r"^\s*(?:[-*+>–—]+\s+|[-*+–—](?=[^\W\d_])|\(?\d{1,3}[.):]\s+|\d{1,3}[.)](?=[^\W\d_])|\(\d{1,3}\)\s*)"
)
_INLINE_NUMBER = re.compile(r"(?:^|(?<=\s))(\d{1,2})[.)]\s+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_HAS_WORD = re.compile(r"\w")
_TRAILING_STOPS = re.compile(r"[\s.,;:…]+$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

_NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "nor",
        "neither",
        "none",
        "nothing",
        "nobody",
        "without",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "wont",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "havent",
        "hasnt",
        "hadnt",
        "couldnt",
        "wouldnt",
        "shouldnt",
        "aint",
        "stop",
        "stops",
        "stopped",
        "stopping",
        "avoid",
        "avoids",
        "avoided",
        "avoiding",
        "refuse",
        "refuses",
        "refused",
        "refusing",
        "lack",
        "lacking",
        "less",
        "fewer",
        "hardly",
        "barely",
    ]
)
# A comma part starting with one of these carries on the part before it
# ("crowds, especially on payday"; "the injection, because it made me shake").
_CONTINUES_BEFORE = frozenset(
    [
        "because",
        "cos",
        "coz",
        "as",
        "so",
        "but",
        "which",
        "who",
        "whose",
        "that",
        "especially",
        "particularly",
        "like",
        "including",
        "eg",
        "such",
        "even",
        "except",
        "mainly",
        "mostly",
        "then",
        "when",
        "whenever",
        "if",
        "unless",
        "until",
        "while",
        "though",
        "although",
    ]
)
# A first part starting with one of these needs the part after it ("when I'm tired, I rest").
_NEEDS_AFTER = frozenset(
    [
        "when",
        "whenever",
        "if",
        "unless",
        "because",
        "after",
        "before",
        "once",
        "although",
        "though",
        "while",
        "since",
        "until",
    ]
)
# Not a place to split: "and then", "or so", "and also".
_NOT_AFTER_CONJUNCTION = frozenset(["then", "so", "also", "because", "that"])
_NUMBER_WORDS = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "half",
        "couple",
        "few",
    ]
)
# Fixed pairs that are one thing.
_KEEP_TOGETHER = frozenset(
    {
        "peace and quiet",
        "pins and needles",
        "fish and chips",
        "tea and toast",
        "bread and butter",
        "ups and downs",
        "up and down",
        "on and off",
        "in and out",
        "back and forth",
        "now and then",
        "rock and roll",
        "salt and pepper",
        "bits and pieces",
        "rest and relaxation",
        "black and white",
        "sick and tired",
        "more or less",
        "sooner or later",
        "hot and cold",
        "pros and cons",
        "odds and ends",
        "arts and crafts",
        "drum and bass",
        "r and b",
        "safe and sound",
        "trial and error",
        "either or",
    }
)

# Replies that mean "no more items", compared without apostrophes or punctuation.
_DONE_PHRASES = frozenset(
    {
        "thats all",
        "thats it",
        "that is all",
        "that is it",
        "thats everything",
        "that is everything",
        "thats enough",
        "that will do",
        "thatll do",
        "enough",
        "no more",
        "nothing more",
        "nothing else",
        "nothing to add",
        "nothing",
        "none",
        "done",
        "im done",
        "i am done",
        "all done",
        "finished",
        "im finished",
        "i am finished",
        "all finished",
        "no",
        "nope",
        "nah",
        "no thank you",
        "not really",
        "n a",
        "na",
        "thats all i can think of",
        "cant think of anything else",
        "i cant think of anything else",
        "cant think of any more",
        "i cant think of any more",
        "nothing i can think of",
    }
)
_LEADING_FILLERS = ("ok", "okay", "yes", "yeah", "yep", "right", "um", "erm", "er", "no", "nah")
_TRAILING_FILLERS = (
    "thanks",
    "thank you",
    "thankyou",
    "ta",
    "cheers",
    "for now",
    "x",
    "xx",
    "xxx",
    "please",
    "i think",
    "for today",
)


def split_items(text: str) -> list[str]:
    """The separate items in a list answer, in the person's own words and order."""
    if not text or not text.strip():
        return []
    items: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        for item in _settled_items(line):
            key = " ".join(item.casefold().split())
            if key not in seen:
                seen.add(key)
                items.append(item)
    return items


def is_done(text: str) -> bool:
    """True when a reply means "no more items" ("that's all", "nope"), not "no sleep"."""
    words = re.sub(r"[^\w\s]", " ", (text or "").lower().replace("'", "").replace("’", "")).split()
    for _ in range(6):  # peel a few polite words off the ends: "ok that's all thanks x"
        if " ".join(words) in _DONE_PHRASES:
            return True
        before = list(words)
        for filler in _TRAILING_FILLERS:
            filler_words = filler.split()
            if len(words) > len(filler_words) and words[-len(filler_words) :] == filler_words:
                words = words[: -len(filler_words)]
        if len(words) > 1 and words[0] in _LEADING_FILLERS:
            words = words[1:]
        if words == before:
            return False
    return False


def join_for_reading(items: Iterable[str]) -> str:
    """Items as a person would write them: "a, b and c" (UK style, no comma before "and")."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


# -- one line -------------------------------------------------------------------------------


def _settled_items(line: str) -> list[str]:
    """Split a line, then split each item again until nothing changes.

    Settling makes the answer the same however it arrives: the items, sent back one per line,
    split into themselves.
    """
    settled: list[str] = []
    pending = [line]
    while pending:
        current = pending.pop(0)
        items = _split_line(current)
        if items == [current]:
            settled.append(current)
        else:  # every item is shorter than `current`, so this ends
            pending[:0] = items
    return settled


def _split_line(line: str) -> list[str]:
    items: list[str] = []
    for segment in _explicit_segments(line):
        for start, end in _split_segment(segment):
            item = _tidy(segment[start:end])
            if _HAS_WORD.search(item):
                items.extend(_within_length(item))
    return items


def _explicit_segments(line: str) -> list[str]:
    """Split where the person clearly meant a new item: bullets, numbers, semicolons."""
    segments = []
    for chunk in _INLINE_BULLET.split(line):
        for numbered in _split_inline_numbers(chunk.strip()):
            for segment in _SEMICOLON.split(numbered):
                segments.append(_strip_marker(segment).strip())
    return [segment for segment in segments if segment]


def _split_inline_numbers(text: str) -> list[str]:
    """ "1. walks 2. music 3. baths" on one line: split only at numbers that count up from the start."""
    matches = list(_INLINE_NUMBER.finditer(text))
    if len(matches) < 2 or matches[0].start() != 0:
        return [text]
    starts = [0]
    expected = int(matches[0].group(1)) + 1
    for match in matches[1:]:
        if int(match.group(1)) == expected:
            starts.append(match.start())
            expected += 1
    if len(starts) < 2:
        return [text]
    return [text[start:end] for start, end in zip(starts, starts[1:] + [len(text)], strict=True)]


def _strip_marker(text: str) -> str:
    while True:
        match = _MARKER.match(text)
        if not match or not _HAS_WORD.search(text[match.end() :]):
            return text
        text = text[match.end() :]


def _tidy(item: str) -> str:
    item = " ".join(item.split())
    item = _TRAILING_STOPS.sub("", item)
    match = _LEADING_CONJUNCTION.match(item)
    if match and _HAS_WORD.search(item[match.end() :]):
        item = item[match.end() :]
    return item


def _within_length(item: str) -> list[str]:
    """Cut an over-long item at sentence breaks, then word breaks; no words are lost."""
    if len(item) <= MAX_ITEM_CHARS:
        return [item]
    pieces = []
    for sentence in _SENTENCE_END.split(item):
        if len(sentence) <= MAX_ITEM_CHARS:
            pieces.append(sentence)
            continue
        current = ""
        for word in sentence.split(" "):
            if current and len(current) + 1 + len(word) > MAX_ITEM_CHARS:
                pieces.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        pieces.append(current)
    chunks: list[str] = []
    for piece in pieces:  # put short sentences back together, up to the limit
        if chunks and len(chunks[-1]) + 1 + len(piece) <= MAX_ITEM_CHARS:
            chunks[-1] = f"{chunks[-1]} {piece}"
        else:
            chunks.append(piece)
    return [tidied for tidied in (_tidy(chunk) for chunk in chunks) if _HAS_WORD.search(tidied)]


# -- one segment: commas and conjunctions ----------------------------------------------------

Span = tuple[int, int]


def _split_segment(segment: str) -> list[Span]:
    """Spans of `segment` that are separate items, split at commas and, where safe, and/or."""
    units = _comma_units(segment)
    if not units:
        return []
    pieces: list[Span] = []
    closing = None
    for index, (span, merged) in enumerate(units):
        is_last = index == len(units) - 1 and len(units) > 1
        if merged:
            pieces.append(span)
            continue
        if is_last:
            span, closing = _without_leading_conjunction(segment, span)
        unit_pieces, used = _split_conjunctions(segment, span, as_list=is_last)
        if is_last and closing is None:
            closing = used
        pieces.extend(unit_pieces)
    if closing in ("or", "nor"):
        pieces = _carry_negation(segment, pieces)
    return pieces


def _comma_units(segment: str) -> list[tuple[Span, bool]]:
    """Comma parts, with parts that carry on a clause joined back up; True when joined."""
    parts: list[Span] = []
    start = 0
    for match in _COMMA.finditer(segment):
        parts.append((start, match.start()))
        start = match.end()
    parts.append((start, len(segment)))
    parts = [_trimmed(segment, span) for span in parts]
    parts = [span for span in parts if span[0] < span[1]]

    units: list[tuple[Span, bool]] = []
    needs_next = False
    for index, span in enumerate(parts):
        text = segment[span[0] : span[1]]
        first = _first_word(text)
        continues = first in _CONTINUES_BEFORE or text.lower().startswith(("e.g", "i.e"))
        if units and (needs_next or continues):
            (unit_start, _), _ = units[-1]
            units[-1] = ((unit_start, span[1]), True)
            needs_next = False
        else:
            units.append((span, False))
            needs_next = index == 0 and first in _NEEDS_AFTER
    return units


def _without_leading_conjunction(segment: str, span: Span) -> tuple[Span, str | None]:
    """ "and payday" at the end of "crowds, arguments, and payday": the list closes with "and"."""
    match = _LEADING_CONJUNCTION.match(segment, span[0], span[1])
    if not match or not _HAS_WORD.search(segment[match.end() : span[1]]):
        return span, None
    return (match.end(), span[1]), _conjunction_word(match.group(0))


def _split_conjunctions(segment: str, span: Span, *, as_list: bool) -> tuple[list[Span], str | None]:
    """Split a comma part at and/or where safe; returns the pieces and the last word split at.

    At the end of a comma list ("a, b and c") every safe and/or splits; elsewhere only when the
    parts are short or evenly sized (see _SHORT_PART_WORDS).
    """
    start, end = span
    matches = list(_CONJUNCTION.finditer(segment, start, end))
    if not matches:
        return [span], None
    bounds = [start] + [m.end() for m in matches]
    stops = [m.start() for m in matches] + [end]
    cuts = []
    for index, match in enumerate(matches):
        word = _conjunction_word(match.group(0))
        before_text = segment[bounds[index] : stops[index]]
        after_text = segment[bounds[index + 1] : stops[index + 1]]
        if _safe_to_split(word, before_text, after_text, as_list=as_list):
            cuts.append((match, word))
    if not cuts:
        return [span], None
    pieces = []
    piece_start = start
    for match, _ in cuts:
        pieces.append(_trimmed(segment, (piece_start, match.start())))
        piece_start = match.end()
    pieces.append(_trimmed(segment, (piece_start, end)))
    if not all(piece[0] < piece[1] for piece in pieces):
        return [span], None
    if not as_list:
        sizes = [len(_WORD.findall(segment[a:b])) for a, b in pieces]
        short = all(size <= _SHORT_PART_WORDS for size in sizes)
        phrases = all(size in _PHRASE_PART_WORDS for size in sizes)
        if not (short or phrases):
            return [span], None
    return pieces, cuts[-1][1]


def _safe_to_split(word: str, before_text: str, after_text: str, *, as_list: bool) -> bool:
    before_words = _lower_words(before_text)
    after_words = _lower_words(after_text)
    if not before_words or not after_words:
        return False
    before, after = before_words[-1], after_words[0]
    if f"{before} {word} {after}" in _KEEP_TOGETHER:
        return False
    if _is_number(before) or _is_number(after) or after in _NOT_AFTER_CONJUNCTION:
        return False  # "2 or 3 days", "one and a half", "and then"
    carries_negation = _negated(before_words) and not _negated(after_words)
    # "not eating or sleeping" means not sleeping either
    return not (carries_negation and (not as_list or word in ("or", "nor")))


def _carry_negation(segment: str, pieces: list[Span]) -> list[Span]:
    """In a list closed by "or", a negation reaches the parts after it: "not eating, sleeping or washing"."""
    joined: list[Span] = []
    negated_group = False
    for span in pieces:
        negated_here = _negated(_lower_words(segment[span[0] : span[1]]))
        if joined and negated_group and not negated_here:
            joined[-1] = (joined[-1][0], span[1])
        else:
            joined.append(span)
            negated_group = negated_here
    return joined


# -- small helpers ---------------------------------------------------------------------------


def _trimmed(segment: str, span: Span) -> Span:
    start, end = span
    while start < end and segment[start].isspace():
        start += 1
    while end > start and segment[end - 1].isspace():
        end -= 1
    return start, end


def _lower_words(text: str) -> list[str]:
    return [word.lower().replace("'", "").replace("’", "") for word in _WORD.findall(text)]


def _first_word(text: str) -> str:
    words = _lower_words(text)
    return words[0] if words else ""


def _negated(words: list[str]) -> bool:
    return any(word in _NEGATIONS for word in words)


def _is_number(word: str) -> bool:
    return word.isdigit() or word in _NUMBER_WORDS


def _conjunction_word(text: str) -> str:
    word = text.strip().lower()
    return {"&": "and", "and/or": "or"}.get(word, word)
