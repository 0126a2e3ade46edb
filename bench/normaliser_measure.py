"""Measures the shared text normaliser (bot/language/normalise.py): `python bench/normaliser_measure.py`.

- load time and the memory the vocabulary takes;
- time per message after load, on the project's own NLU examples (short, like texts);
- how often a single-letter typo of one of the project's words is put right, by word length,
  which is how MIN_CORRECTED_LENGTH was chosen. Typos are made here, with a fixed seed, from
  our own words only (never from evaluation data).

Prints one JSON object.
"""

from __future__ import annotations

import json
import random
import resource
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.language import normalise


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word))
    kind = rng.choice(("delete", "insert", "substitute", "transpose"))
    letter = rng.choice(string.ascii_lowercase)
    if kind == "delete" and len(word) > 1:
        return word[:i] + word[i + 1 :]
    if kind == "insert":
        return word[:i] + letter + word[i:]
    if kind == "transpose" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + letter + word[i + 1 :]


def correction_by_length(vocab: normalise.Vocabulary, words: list[str], english_from: int) -> dict[int, dict]:
    """Single-letter typos of `words`, corrected towards any English word from `english_from`
    letters and towards the project's words only below it."""
    rng = random.Random(7)
    results: dict[int, dict] = {}
    saved = normalise.MIN_ENGLISH_CORRECTION_LENGTH
    normalise.MIN_ENGLISH_CORRECTION_LENGTH = english_from
    for length in range(2, 9):
        chosen = [w for w in words if len(w) == length and vocab.knows(w)]
        right = wrong = unchanged = tried = 0
        for word in chosen:
            for _ in range(5):
                typo = _typo(word, rng)
                if typo == word or vocab.knows(typo) or not normalise._VOWEL.search(typo):
                    continue  # a real word or no vowel: left alone by design, not a correction
                tried += 1
                fixed = normalise._correct(typo, vocab)
                if fixed == word:
                    right += 1
                elif fixed == typo:
                    unchanged += 1
                else:
                    wrong += 1
        if tried:
            results[length] = {
                "typos": tried,
                "put_right": round(right / tried, 3),
                "wrong_word": round(wrong / tried, 3),
                "left": round(unchanged / tried, 3),
            }
    normalise.MIN_ENGLISH_CORRECTION_LENGTH = saved
    return results


def main() -> None:
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    vocab = normalise.vocabulary()
    load_seconds = time.perf_counter() - started
    rss_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024

    from rasa.shared.nlu.training_data.loading import load_data

    texts = [m.get("text") for m in load_data(str(normalise.NLU_DATA_DIR)).intent_examples if m.get("text")]
    cold = []
    for text in texts:
        t = time.perf_counter()
        normalise.matching_form(text, vocab)
        cold.append((time.perf_counter() - t) * 1000)
    warm = []
    for text in texts:
        t = time.perf_counter()
        normalise.matching_form(text, vocab)
        warm.append((time.perf_counter() - t) * 1000)
    long_text = (
        "im soooo depresed and i cant sleep 2nite, the tabelts make me feel wierd and "
        "i dont no wat to do. my cordinator never rang bak and im woried abuot tmrw "
    ) * 2
    t = time.perf_counter()
    normalise.matching_form(long_text[:320], vocab)
    long_ms = (time.perf_counter() - t) * 1000

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return round(ordered[int(q * (len(ordered) - 1))], 4)

    words = sorted({w for text in texts for w in normalise._YAML_WORD.findall(text.lower()) if "'" not in w})
    english = [
        w
        for w, count in sorted(vocab.speller.words.items(), key=lambda item: -item[1])
        if count < normalise.NLU_WORD_COUNT and w.isalpha()
    ][:3000]
    print(
        json.dumps(
            {
                "load_seconds": round(load_seconds, 2),
                "load_rss_mb": round(rss_mb, 1),
                "messages": len(texts),
                "first_time_ms": {"p50": pct(cold, 0.5), "p95": pct(cold, 0.95), "max": pct(cold, 1.0)},
                "again_ms": {"p50": pct(warm, 0.5), "p95": pct(warm, 0.95)},
                "a_320_character_message_with_typos_ms": round(long_ms, 3),
                # Project words: the NLU examples' words; English: English words none of our data uses.
                "project_typos_any_english_word": correction_by_length(vocab, words, 2),
                "project_typos_project_words_below_5": correction_by_length(vocab, words, 5),
                "english_typos_any_english_word": correction_by_length(vocab, english, 2),
                "english_typos_project_words_below_5": correction_by_length(vocab, english, 5),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
