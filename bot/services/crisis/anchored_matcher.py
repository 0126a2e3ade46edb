"""spaCy's Matcher, run only for the patterns whose required words are in the message.

Why: with every crisis pattern in one Matcher, a long message costs several milliseconds,
because spaCy tries each pattern that starts with an optional or common word at every token.
Most patterns need words a message rarely has ("rope", a form of "overdose"), so each pattern
gets its own Matcher and is run only when every word slot it cannot skip has a word of the
message in it (by lower case or by lemma, as the slot reads it). The matches are exactly those
of one Matcher holding every pattern: a pattern skipped here could not have matched.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

# The token attributes a requirement can be read from (the pattern language uses these two).
READABLE = ("LOWER", "LEMMA")


@dataclass(frozen=True)
class Requirement:
    """One slot a match cannot skip: the token's `attribute` must be one of `values`."""

    attribute: str
    values: frozenset[str]


def requirements(tokens: list[dict]) -> list[Requirement]:
    """The slots of a Matcher pattern that every match must fill from a known set of words."""
    found = []
    for token in tokens:
        if token.get("OP") == "?":
            continue
        for attribute in READABLE:
            spec = token.get(attribute)
            if isinstance(spec, str):
                found.append(Requirement(attribute, frozenset({spec})))
            elif isinstance(spec, dict) and "IN" in spec:
                found.append(Requirement(attribute, frozenset(spec["IN"])))
    return found


class AnchoredMatcher:
    """`add(name, tokens)` like one Matcher pattern; calling it gives (name, start, end) for
    every match, in the order the patterns were added, then by position."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.patterns: list[tuple[str, list[dict]]] = []  # as added, for checking against Matcher
        self._names: list[str] = []
        self._matchers: list[Matcher] = []
        self._requirements: list[list[Requirement]] = []
        self._by_anchor: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._unanchored: list[int] = []

    def add(self, name: str, tokens: list[dict]) -> None:
        matcher = Matcher(self.vocab, validate=True)
        matcher.add(name, [tokens])
        index = len(self._matchers)
        self.patterns.append((name, tokens))
        self._names.append(name)
        self._matchers.append(matcher)
        needed = requirements(tokens)
        self._requirements.append(needed)
        if not needed:
            self._unanchored.append(index)
            return
        anchor = min(needed, key=lambda requirement: len(requirement.values))  # the rarest slot
        for value in anchor.values:
            self._by_anchor[(anchor.attribute, value)].append(index)

    def __len__(self) -> int:
        return len(self._matchers)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        present = {"LOWER": {token.lower_ for token in doc}, "LEMMA": {token.lemma_ for token in doc}}
        candidates = set(self._unanchored)
        for attribute, words in present.items():
            for word in words:
                candidates.update(self._by_anchor.get((attribute, word), ()))
        matches = []
        for index in sorted(candidates):
            if all(not need.values.isdisjoint(present[need.attribute]) for need in self._requirements[index]):
                name = self._names[index]
                matches += [(name, start, end) for _, start, end in self._matchers[index](doc)]
        return matches
