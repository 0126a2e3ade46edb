"""Crisis-language detection: spaCy token patterns kept as data, no Rasa.

The patterns live in content/crisis_patterns.yml (its top comment explains the small pattern
language), so a service can add a phrase without touching code. For each message:

1. the text is normalised: the shared matching form (bot/language/normalise.py: lower case,
   straight quotes, "d i e", "dieeee", text-speak, misspellings), then the crisis spellings
   below ("k1ll", "od'd", "sewer slide", "want 2 die");
2. the shared spaCy pipeline (tokenizer + lookup lemmatizer) makes tokens and lemmas;
3. spaCy's Matcher finds every pattern (each run only when its words are there,
   anchored_matcher.py); a match overlapping an idiom exclusion ("my feet are
   killing me") is dropped; the category listed first in the file wins;
4. the message is "about someone else" when the words in or before the match point to another
   person ("my son says he...", "...kill herself", "my dad hits my mum").

Nothing here logs or stores the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from bot.common.content_files import read_content
from bot.language.normalise import matching_form
from bot.services.crisis.anchored_matcher import AnchoredMatcher
from bot.settings import PROJECT_ROOT

MAX_TEXT_CHARS = 50_000  # far beyond any SMS or chat message; keeps one request bounded
SUBJECT_RULES = ("actor", "aggressor", "victim")
LEVELS = ("crisis", "possible")
END_MARKS = (".", "!", "?", ",", ";", ":")
BIG_NUMBER = (
    r"^([1-9][0-9]+|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
    r"nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|dozens?)$"
)


def default_patterns_path() -> Path:
    return PROJECT_ROOT / "content" / "crisis_patterns.yml"


@dataclass(frozen=True)
class CrisisSignal:
    category: str
    pattern_id: str
    about_someone_else: bool
    level: str = "crisis"  # or "possible": the category's `level` in the patterns file


# ---------------------------------------------------------------------------------------------
# Normalisation: spelling variety becomes one form before matching
# ---------------------------------------------------------------------------------------------
_LEET = re.compile(r"(?<=[a-z])[013@$](?=[a-z])")
_LEET_LETTERS = {"0": "o", "1": "i", "3": "e", "@": "a", "$": "s"}
_SPELLINGS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bo\.d\.?'?d\b", "overdosed"),
        (r"\bod(?:'?d|'ed|ed|'ing|ing)\b", "overdosed"),
        (r"\bself[\s_-]*harm", "selfharm"),
        (r"\bco-codamol\b", "cocodamol"),
        (r"\bsh'?(?:d|ed|ing)\b", "selfharmed"),
        (r"\b(my|him|her|them|your)\s+(self|selves)\b", r"\1\2"),
        (r"\bsewer\s*slide\b", "suicide"),
        (r"\bself[\s-]*delet\w*", "unalive"),
        (r"(?<=[a-z]) 2 (?=[a-z])", " to "),
        (r"\bid\b", "i'd"),
        (r"\bits\b", "it's"),
    )
)


def normalise(text: str) -> str:
    """One spelling for many (see the module docstring). A final full stop lets patterns
    anchor on the end of what someone said ("I'm going to jump" but not "...jump on the bus")."""
    text = matching_form(text[:MAX_TEXT_CHARS])
    text = _LEET.sub(lambda match: _LEET_LETTERS[match.group(0)], text)
    for pattern, replacement in _SPELLINGS:
        text = pattern.sub(replacement, text)
    return " ".join(text.split()) + " ."


# ---------------------------------------------------------------------------------------------
# The pattern language (see content/crisis_patterns.yml)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Rule:
    id: str
    kind: str  # "trigger" or "exclusion"
    category: str = ""
    subject_from: str = ""  # overrides the category's rule for this pattern


class _Compiler:
    """Turns the YAML into Matcher patterns, naming the file and pattern on any problem."""

    def __init__(self, nlp: Language, data: Any, source: str) -> None:
        self.nlp, self.source = nlp, source
        if not isinstance(data, dict):
            raise self.problem("(file)", "must be a mapping with lists, categories and exclusions")
        self.lists = data.get("lists") or {}
        for name, words in self.lists.items():
            if not isinstance(words, list) or not words:
                raise self.problem(f"lists.{name}", "must be a non-empty list of words")
            for word in words:
                if not isinstance(word, str):  # YAML reads off/on/yes/no as true/false: quote them
                    raise self.problem(f"lists.{name}", f"{word!r} is not text; put it in quotes")

    def problem(self, pattern_id: str, message: str) -> ValueError:
        return ValueError(f"{self.source}: pattern '{pattern_id}': {message}")

    def words(self, pattern_id: str, spec: str) -> list[str]:
        """'a|b|@list' -> the words; each must be one token once normalised."""
        words: list[str] = []
        for part in spec.split("|"):
            part = part.lstrip("~")  # "~a|~b" reads as "~a|b"
            if part == "<end>":
                words += list(END_MARKS)
            elif part.startswith("@"):
                if part[1:] not in self.lists:
                    raise self.problem(pattern_id, f"unknown list {part}")
                words += self.lists[part[1:]]
            elif part:
                words.append(part)
        return words

    def token(self, pattern_id: str, slot: str) -> list[dict]:
        """One slot of a pattern: any word(s), a wildcard, a lemma or a choice of words."""
        optional = slot.endswith("?") and len(slot) > 1
        slot = slot[:-1] if optional else slot
        if re.fullmatch(r"\*\d", slot):
            return [{"OP": "?"}] * int(slot[1])
        if slot == "_":
            return [{"OP": "?"} if optional else {}]
        if slot == "<end>":
            return [{"LOWER": {"IN": list(END_MARKS)}}]
        if slot == "#big":
            return [{"LOWER": {"REGEX": BIG_NUMBER}, **({"OP": "?"} if optional else {})}]
        if slot.startswith("!"):
            return [{"LOWER": {"NOT_IN": [normalise(w)[:-2] for w in self.words(pattern_id, slot[1:])]}}]
        attribute, spec = ("LEMMA", slot[1:]) if slot.startswith("~") else ("LOWER", slot)
        words = self.words(pattern_id, spec)
        if not words:
            raise self.problem(pattern_id, f"empty slot {slot!r}")
        if len(words) == 1 and "|" not in spec and not spec.startswith("@"):
            tokens = [t.text for t in self.nlp.make_doc(normalise(words[0])[:-2])]
            if attribute == "LOWER" and len(tokens) > 1:
                return [dict({"LOWER": t}, **({"OP": "?"} if optional else {})) for t in tokens]
        for word in words:
            if word.startswith("'") or word == "n't" or word in END_MARKS:
                continue  # contractions are tokens of their own after a word ("i'm" -> i, 'm)
            if len(self.nlp.make_doc(normalise(word)[:-2])) != 1:
                raise self.problem(pattern_id, f"{word!r} in a choice must be one word")
        values = [
            word if word.startswith("'") or word == "n't" or word in END_MARKS else normalise(word)[:-2]
            for word in words
        ]
        if attribute == "LEMMA":
            values = [self.nlp(value)[0].lemma_ for value in values]
        entry: dict = {attribute: {"IN": sorted(set(values))}}
        if optional:
            entry["OP"] = "?"
        return [entry]

    def pattern(self, pattern_id: str, text: Any) -> list[dict]:
        if not isinstance(text, str) or not text.strip():
            raise self.problem(pattern_id, "needs a pattern (text)")
        tokens: list[dict] = []
        for slot in text.split():
            tokens += self.token(pattern_id, slot)
        if all(token.get("OP") == "?" for token in tokens):
            raise self.problem(pattern_id, "every part is optional, so it would match anything")
        return tokens


@dataclass(frozen=True)
class _Patterns:
    matcher: AnchoredMatcher
    rules: dict[str, _Rule]
    categories: tuple[str, ...]
    subject_rules: dict[str, str]
    levels: dict[str, str]
    others: frozenset[str]
    self_words: frozenset[str]
    speaker: frozenset[str]
    relations: frozenset[str]

    def triggers(self, doc: Doc) -> list[tuple[_Rule, int, int]]:
        """The trigger matches in `doc` that overlap no exclusion: (rule, start, end)."""
        matches = [(self.rules[name], start, end) for name, start, end in self.matcher(doc)]
        excluded = [(start, end) for rule, start, end in matches if rule.kind == "exclusion"]
        return [
            (rule, start, end)
            for rule, start, end in matches
            if rule.kind == "trigger" and not any(s < end and start < e for s, e in excluded)
        ]


def _entries(compiler: _Compiler, raw: Any, where: str) -> list[tuple[str, Any, str]]:
    """(id, pattern as written, its subject rule), the pattern checked later by the compiler."""
    if not isinstance(raw, list):
        raise compiler.problem(where, "must be a list of {id, pattern}")
    entries: list[tuple[str, Any, str]] = []
    for entry in raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise compiler.problem(where, f"entry {entry!r} needs an id and a pattern")
        subject = entry.get("subject_from", "")
        if subject and subject not in SUBJECT_RULES:
            raise compiler.problem(entry["id"], f"subject_from must be one of {SUBJECT_RULES}")
        entries.append((entry["id"], entry.get("pattern"), subject))
    return entries


def compile_patterns(nlp: Language, data: Any, source: str = "<patterns>") -> _Patterns:
    compiler = _Compiler(nlp, data, source)
    matcher = AnchoredMatcher(nlp.vocab)
    rules: dict[str, _Rule] = {}
    categories: list[str] = []
    subject_rules: dict[str, str] = {}
    levels: dict[str, str] = {}
    for category in data.get("categories") or []:
        name = category.get("name") if isinstance(category, dict) else None
        if not isinstance(name, str):
            raise compiler.problem("categories", f"{category!r} needs a name")
        subject = category.get("subject_from", "actor")
        if subject not in SUBJECT_RULES:
            raise compiler.problem(name, f"subject_from must be one of {SUBJECT_RULES}")
        level = category.get("level", "crisis")
        if level not in LEVELS:
            raise compiler.problem(name, f"level must be one of {LEVELS}")
        if level == "crisis" and "possible" in levels.values():
            raise compiler.problem(name, "crisis categories must come before every possible-risk one")
        categories.append(name)
        subject_rules[name] = subject
        levels[name] = level
        for pattern_id, text, pattern_subject in _entries(compiler, category.get("patterns"), name):
            if pattern_id in rules:
                raise compiler.problem(pattern_id, "is used twice")
            rules[pattern_id] = _Rule(pattern_id, "trigger", name, pattern_subject)
            matcher.add(pattern_id, compiler.pattern(pattern_id, text))
    if not categories:
        raise compiler.problem("categories", "at least one category is needed")
    for pattern_id, text, _ in _entries(compiler, data.get("exclusions") or [], "exclusions"):
        if pattern_id in rules:
            raise compiler.problem(pattern_id, "is used twice")
        rules[pattern_id] = _Rule(pattern_id, "exclusion")
        matcher.add(pattern_id, compiler.pattern(pattern_id, text))
    people = data.get("people") or {}
    return _Patterns(
        matcher,
        rules,
        tuple(categories),
        subject_rules,
        levels,
        others=frozenset(compiler.words("people.others", "|".join(people.get("others") or ["@none"]))),
        self_words=frozenset(compiler.words("people.self", "|".join(people.get("self") or ["@none"]))),
        speaker=frozenset(compiler.words("people.speaker", "|".join(people.get("speaker") or ["@none"]))),
        relations=frozenset(compiler.words("people.relations", "|".join(people.get("relations") or ["@none"]))),
    )


# ---------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------
class CrisisDetector:
    def __init__(self, nlp: Language, patterns: dict, source: str = "<patterns>") -> None:
        self.nlp = nlp
        self.patterns = compile_patterns(nlp, patterns, source)

    @classmethod
    def from_files(cls, pipeline_path: Path, patterns_path: Path) -> CrisisDetector:
        from bot.language.spacy_pipeline import load_pipeline

        data = read_content(Path(patterns_path))
        return cls(load_pipeline(str(pipeline_path)), data, str(patterns_path))

    def detect(self, text: str) -> CrisisSignal | None:
        if not isinstance(text, str) or not text.strip():
            return None
        return self.detect_doc(self.nlp(normalise(text)))

    def detect_doc(self, doc: Doc) -> CrisisSignal | None:
        triggers = self.patterns.triggers(doc)
        if not triggers:
            return None
        order = self.patterns.categories
        category = min((rule.category for rule, _, _ in triggers), key=order.index)
        in_category = sorted((m for m in triggers if m[0].category == category), key=lambda m: m[1])
        readings = [
            (
                rule,
                *self._about_someone_else(doc[start:end], rule.subject_from or self.patterns.subject_rules[category]),
            )
            for rule, start, end in in_category
        ]
        rule, other, _ = next((reading for reading in readings if reading[2]), readings[0])
        return CrisisSignal(category, rule.id, other, self.patterns.levels[category])

    def subject_of(self, doc: Doc) -> str:
        """For a message no pattern matched (the classifier's): "other" when it names a
        relation ("my son", "our kid", "me mam") before any "I", else "self"."""
        people = self.patterns
        for token in doc:
            if token.lower_ in people.speaker:
                return "self"
            if token.lower_ in people.relations and token.i > 0 and doc[token.i - 1].lower_ in {"my", "our", "me"}:
                return "other"
        return "self"

    def _about_someone_else(self, match: Span, rule: str) -> tuple[bool, bool]:
        """(about someone else?, said outright?) for one match.

        `actor`: the person words in the match decide ("kill myself", "kill herself");
        `victim`: the words after the verb ("hits me", "hits my mum");
        otherwise, and for `aggressor`, the nearest person named before the match
        ("my son says he wants to die", "I'm going to hurt him")."""
        people = self.patterns
        words = [token.lower_ for token in match]
        if rule == "victim":
            victim = words[1:]
            if any(word in people.relations for word in victim):
                return True, True
            if any(word in people.self_words for word in victim):
                return False, True
            if any(word in people.others for word in victim):
                return True, True
        if rule == "actor":
            if any(word in people.self_words for word in words):
                return False, True
            if any(word in people.others for word in words):
                return True, True
        named = people.relations if rule == "victim" else people.relations | people.others
        for token in reversed(match.doc[: match.start]):
            if token.lower_ in people.speaker:
                return False, False
            if token.lower_ in named:
                return True, False
        return False, False
