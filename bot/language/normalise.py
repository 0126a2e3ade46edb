"""One matching form of what a person typed, shared by the crisis detector and the NLU pipeline.

People write "im soooo depresed", "i want to d i e", "cant sleep 2nite". Patterns and the
classifier should see one spelling for each word, so `matching_form` makes, in order:

1. safe text: control characters and lone surrogates dropped (the one rule, in
   inbound_text.py), Unicode NFKC (full-width letters, ligatures), lower case, curly quotes
   straight, runs of spaces one space;
2. spaced-out letters joined: three or more single letters in a row ("d i e", "d.i.e",
   "k-i-l-l m y s e l f") become the word(s) they spell, when they spell known words;
3. each word: text-speak spelled out (content/language.yml: data, not code); a letter repeated
   three or more times squeezed to the known word ("soooo" -> "so", "dieeeee" -> "die");
   a misspelling corrected by symspellpy (edit distance 1) against its English frequency
   dictionary plus the project's own words ("kil" -> "kill", "suicde" -> "suicide").

Never changed (beyond lower case): a token holding a digit (codes like KMTR-4829 or 4829-7316,
phone numbers, postcodes M14, a numbered choice "2"), unless the whole token is text-speak
("2nite"); URLs and email addresses; words with an apostrophe; words without a vowel
(abbreviations, codes typed with a space: "kmtr 4829"); words shorter than `MIN_CORRECTED_LENGTH`;
words any dictionary knows. The project's words (harvested at load from bot/data/nlu/*.yml and
content/crisis_patterns.yml, and `keep` in content/language.yml) count as known and, as
corrections, outrank ordinary English: crisis words first, then the NLU's. A harvested word no
English dictionary knows but one letter from another of our words ("tabelts", "suicde") is
taken for a misspelling kept in the data on purpose and is not added; words like "unshare",
"olanzapine" or crisis words in other languages ("morir") are. Parts of a compound
("check-ins") are not corrected.

Word lengths, by measurement (`python bench/normaliser_measure.py`: single-letter typos made
with a fixed seed from our own words and from 3,000 common English words): a typo of one of the
project's words is put right 42% of the time at 2 letters (58% become another word: "no" and
"so" are one letter apart), 52% at 3, 77% at 4, 83% at 5, 95% or more from 6. A typo of an
English word we do not use is put right only 35% (3 letters) and 60% (4) of the time. So
words of 1-2 letters are never corrected (`MIN_CORRECTED_LENGTH` = 3); words of 3-4 letters
only towards the project's words ("kil" -> "kill", where the English dictionary alone said
"oil"); from 5 letters (`MIN_ENGLISH_CORRECTION_LENGTH`) towards any English word.

Cost, measured on this machine (2 cores shared, Python 3.10, symspellpy 6.10.1): loading takes
about 0.8 s and 72 MB (the English dictionary with its index of single deletions, built once per
process and cached; edit distance 2 took 2.2 s and twice the memory, and the misspellings we
aimed at are one edit away). After that, over the 908 NLU examples: 0.012 ms per message at p50 and 0.023 ms
at p95 the first time, 0.017 ms at p95 again (each word's reading is remembered); a
320-character message full of new misspellings about 0.7 ms.

Only the matching form changes: what the person typed is stored and shown as typed (the NLU
component restores it after the classifier, bot/nlu/text_normaliser.py). Nothing here logs
or stores the text.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from bot.common.content_files import ContentError, read_content
from bot.language.inbound_text import drop_unsafe_characters
from bot.language.training_examples import NLU_DATA_DIR, nlu_files
from bot.settings import PROJECT_ROOT

MAX_TEXT_CHARS = 50_000  # far beyond any SMS or chat message; keeps one call bounded
MIN_CORRECTED_LENGTH = 3  # from here, only towards the project's words
MIN_ENGLISH_CORRECTION_LENGTH = 5  # from here, towards any English word too
MAX_EDIT_DISTANCE = 1
LANGUAGE_PATH = PROJECT_ROOT / "content" / "language.yml"
CRISIS_PATTERNS_PATH = PROJECT_ROOT / "content" / "crisis_patterns.yml"
ENGLISH_DICTIONARY = "frequency_dictionary_en_82_765.txt"  # shipped with symspellpy
# Project words outrank any English word (the most frequent, "the", counts about 2.3e10).
NLU_WORD_COUNT = 10**11
CRISIS_WORD_COUNT = 2 * 10**11
WORD_CACHE_SIZE = 50_000
MAX_PASSES = 4  # the form of the form is the form; almost every text settles in 2 passes

_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
    }
)
# A single letter, or one letter typed 3+ times ("aaa" squeezes to "a" later, so it counts).
_SPACED_LETTERS = re.compile(r"(?<!\S)(?:([a-z])\1{2,}|[a-z])(?: (?:([a-z])\2{2,}|[a-z])){2,}(?![^\s.,!?;:])")
# Letters between dots, dashes, underscores or stars ("d.i.e", "k-i-l-l"): spaced out first, so
# the spaced-letter step joins them when they spell words. Two letters ("e.g.", "i.e.") stay.
_DOTTED_LETTERS = re.compile(r"(?<![\w.\-])[a-z](?:[.\-_*][a-z]){2,}[.]?(?![\w\-])")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_DIGIT = re.compile(r"\d")
_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")
_URL = re.compile(r"://|^www\.|^[\w-]+(?:\.[\w-]+)+(?:/\S*)?$")
_EMAIL = re.compile(r"^\S+@\S+\.\S+$")
_LETTER_RUN = re.compile(r"(.)\1*")
_VOWEL = re.compile(r"[aeiouy]")
_ASCII_WORD = re.compile(r"^[a-z]+$")
_YAML_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
SINGLE_LETTER_WORDS = frozenset("ai")


@dataclass(frozen=True)
class Vocabulary:
    """What the normaliser knows: text-speak, and a speller whose dictionary is English plus
    the project's words."""

    text_speak: dict[str, str]
    speller: Any  # symspellpy.SymSpell
    readings: dict[tuple[str, bool], str] = field(default_factory=dict)  # a bounded cache

    def knows(self, word: str) -> bool:
        return word in self.speller.words


# ---------------------------------------------------------------------------------------------
# Loading (once per process)
# ---------------------------------------------------------------------------------------------
def load_language(path: Path = LANGUAGE_PATH) -> tuple[dict[str, str], list[str]]:
    """content/language.yml -> (text-speak, words to keep); ValueError naming the problem."""
    data = read_content(Path(path)) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: must be a mapping with text_speak and keep")  # noqa: TRY004 (content errors are ValueError)
    text_speak, keep = data.get("text_speak") or {}, data.get("keep") or []
    if not isinstance(text_speak, dict) or not isinstance(keep, list):
        raise ValueError(f"{path}: text_speak must be a mapping and keep a list")  # noqa: TRY004
    for key, value in text_speak.items():
        if not isinstance(key, str) or not isinstance(value, str) or not key.strip() or not value.strip():
            raise ValueError(f"{path}: text_speak entry {key!r}: {value!r} must be words in quotes")
        if key != key.lower() or " " in key or key.isdigit():
            raise ValueError(f"{path}: text_speak key {key!r} must be one lower-case word, not only digits")
    for word in keep:
        if not isinstance(word, str) or not _ASCII_WORD.match(word):
            raise ValueError(f"{path}: keep entry {word!r} must be one lower-case word")
    return dict(text_speak), list(keep)


def strings_in(data: Any) -> Iterable[str]:
    """Every string anywhere in parsed YAML (mappings and lists walked), in order."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)


def _words_in_yaml(paths: Iterable[Path], field: str | None = None) -> set[str]:
    """Every word in the files' strings (or, with `field`, in the values under that key)."""
    words: set[str] = set()
    for path in paths:
        try:
            data = read_content(path)
        except ContentError:
            continue  # a broken file is reported by its own loader, not here
        if field is not None:
            data = [item.get(field) for item in (data or {}).get("nlu") or [] if isinstance(item, dict)]
        for text in strings_in(data):
            for chunk in text.lower().split():
                if not _DIGIT.search(chunk):
                    words.update(_YAML_WORD.findall(chunk))
    return words


def _new_speller() -> Any:
    from symspellpy import SymSpell

    speller = SymSpell(max_dictionary_edit_distance=MAX_EDIT_DISTANCE, prefix_length=7)
    speller.load_dictionary(str(files("symspellpy") / ENGLISH_DICTIONARY), term_index=0, count_index=1)
    return speller


def _add_project_words(speller: Any, words: set[str], count: int, typos_of: set[str]) -> None:
    """Adds (or lifts) the words, except a word no English dictionary knows that is one edit
    from a word in `typos_of`: a misspelling kept in the data on purpose."""
    from symspellpy import Verbosity

    english = set(speller.words)
    for word in sorted(words):
        if len(word) < 2 or "'" in word:
            continue
        if word not in english and len(word) >= MIN_CORRECTED_LENGTH:
            near = {s.term for s in speller.lookup(word, Verbosity.ALL, max_edit_distance=MAX_EDIT_DISTANCE)}
            if near & typos_of:
                continue
        speller.create_dictionary_entry(word, count)


def build_vocabulary(
    language_path: Path = LANGUAGE_PATH,
    nlu_dir: Path = NLU_DATA_DIR,
    crisis_patterns_path: Path = CRISIS_PATTERNS_PATH,
) -> Vocabulary:
    text_speak, keep = load_language(language_path)
    speller = _new_speller()
    crisis_words = _words_in_yaml([crisis_patterns_path])
    nlu_words = _words_in_yaml(nlu_files(nlu_dir), field="examples")
    # A word of ours no English dictionary knows, one edit from one of our English words, is a
    # misspelling of it kept on purpose ("tabelts", "suicde"): corrected, not added. Others
    # stay ours ("unshare", "olanzapine", crisis words in other languages: "morir").
    project_english = {word for word in crisis_words | nlu_words if word in speller.words}
    _add_project_words(speller, crisis_words, CRISIS_WORD_COUNT, typos_of=project_english & crisis_words)
    _add_project_words(speller, nlu_words - crisis_words, NLU_WORD_COUNT, typos_of=project_english)
    for word in keep:
        speller.create_dictionary_entry(word, NLU_WORD_COUNT)
    return Vocabulary(text_speak, speller)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The project's vocabulary, built once per process."""
    return build_vocabulary()


# ---------------------------------------------------------------------------------------------
# The matching form
# ---------------------------------------------------------------------------------------------
def safe_text(text: object) -> str:
    """Step 1: a string with no control characters or lone surrogates, NFKC, lower case,
    straight quotes, single spaces."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", drop_unsafe_characters(text[:MAX_TEXT_CHARS]))
    text = drop_unsafe_characters(text).lower().translate(_QUOTES)
    return " ".join(text.split())


def matching_form(text: object, vocab: Vocabulary | None = None) -> str:
    """The lower-case form to match on (see the module docstring). Never raises on a string."""
    text = safe_text(text)
    if not text:
        return ""
    vocab = vocab or vocabulary()
    for _ in range(MAX_PASSES):  # one step can make work for another ("u a i l" -> "you a i l")
        changed = _one_pass(text, vocab)
        if changed == text:
            break
        text = changed
    return text


def _one_pass(text: str, vocab: Vocabulary) -> str:
    text = _DOTTED_LETTERS.sub(lambda m: " ".join(re.findall("[a-z]", m.group(0))), text)
    text = _SPACED_LETTERS.sub(lambda m: _join_letters(m.group(0), vocab), text)
    return " ".join(_chunk(chunk, vocab) for chunk in text.split(" "))


def _join_letters(spaced: str, vocab: Vocabulary) -> str:
    """'d i e' -> 'die', 'k i l l m y s e l f' -> 'kill myself'; 'u r a' stays (each is a word)."""
    letters = [letter[0] for letter in spaced.split(" ")]
    if all(letter in SINGLE_LETTER_WORDS or letter in vocab.text_speak for letter in letters):
        return spaced
    joined = "".join(letters)
    if vocab.knows(joined):
        return joined
    segmented = vocab.speller.word_segmentation(joined, max_edit_distance=0).segmented_string.split()
    if segmented and all(vocab.knows(word) and (len(word) > 1 or word in SINGLE_LETTER_WORDS) for word in segmented):
        return " ".join(segmented)
    return spaced


def _chunk(chunk: str, vocab: Vocabulary) -> str:
    """One space-separated token: kept as it is when it holds a digit, a URL or an email."""
    if _DIGIT.search(chunk):
        core = _EDGE_PUNCTUATION.sub("", chunk)
        if core in vocab.text_speak:
            return chunk.replace(core, vocab.text_speak[core], 1)
        return chunk
    if _URL.search(chunk) or _EMAIL.match(chunk):
        return chunk
    words = _WORD.findall(chunk)
    # Part of a compound ("check-ins", "and/or"): each part may be a word only there, so it is
    # spelled out and squeezed but not corrected.
    correct = len(words) == 1
    return _WORD.sub(lambda m: _word(m.group(0), vocab, correct), chunk)


def _word(word: str, vocab: Vocabulary, correct: bool) -> str:
    """One word's matching form, remembered: people reuse the same few hundred words."""
    key = (word, correct)
    known = vocab.readings.get(key)
    if known is None:
        if len(vocab.readings) >= WORD_CACHE_SIZE:
            vocab.readings.clear()
        known = vocab.readings[key] = _uncached_word(word, vocab, correct)
    return known


def _uncached_word(word: str, vocab: Vocabulary, correct: bool = True) -> str:
    if word in vocab.text_speak:
        return vocab.text_speak[word]
    if "'" in word or not _ASCII_WORD.match(word):
        return word
    if re.search(r"(.)\1\1", word):
        word = _squeeze(word, vocab)
        if word in vocab.text_speak:
            return vocab.text_speak[word]
    if not correct or vocab.knows(word) or len(word) < MIN_CORRECTED_LENGTH or not _VOWEL.search(word):
        return word
    word = _correct(word, vocab)
    return vocab.text_speak.get(word, word)


def _squeeze(word: str, vocab: Vocabulary) -> str:
    """Runs of 3+ of one letter -> the known word with one or two ('soooo' -> 'so',
    'cooool' -> 'cool'); none known -> two of each ('hmmmm' -> 'hmm')."""
    runs = [(match.group(1), len(match.group(0))) for match in _LETTER_RUN.finditer(word)]
    long_runs = [i for i, (_, length) in enumerate(runs) if length >= 3]
    if len(long_runs) > 4:  # 2**n spellings: keep it bounded
        return "".join(letter * min(length, 2) for letter, length in runs)
    best, best_count = "", -1
    for choice in itertools.product((1, 2), repeat=len(long_runs)):
        lengths = dict(zip(long_runs, choice, strict=True))
        candidate = "".join(letter * lengths.get(i, length) for i, (letter, length) in enumerate(runs))
        count = vocab.speller.words.get(candidate, -1)
        if candidate in vocab.text_speak:
            count = max(count, NLU_WORD_COUNT)
        if count > best_count:
            best, best_count = candidate, count
    if best_count >= 0:
        return best
    return "".join(letter * min(length, 2) for letter, length in runs)


def _correct(word: str, vocab: Vocabulary) -> str:
    from symspellpy import Verbosity

    suggestions = vocab.speller.lookup(word, Verbosity.TOP, max_edit_distance=MAX_EDIT_DISTANCE)
    if not suggestions:
        return word
    best = suggestions[0]
    if len(word) < MIN_ENGLISH_CORRECTION_LENGTH and best.count < NLU_WORD_COUNT:
        return word  # a short word: only the project's own words are likely enough
    return best.term
