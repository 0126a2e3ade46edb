"""How well, and how fast, the risk detector (RiskAssessor) reads crisis language.

    PYTHONPATH=. .venv/bin/python bench/crisis_detector.py

Two configurations: the patterns alone, and patterns then the learned classifier (thresholds
from config.yml). For each, on:

- our held-out split (tests/evaluation/heldout/crisis.yml; never trained or tuned on): recall
  at possible-or-above and at crisis, misses by kind;
- the held-out ordinary messages (tests/evaluation/ordinary_messages.yml): false alarms;
- ../shared/eval/external/crisis_positive.tsv and crisis_negative.tsv when present (other
  people's public data, evaluation only): counts and rates, misses by source file only. No line
  of it is ever printed;
- time per message (p50, p95) over all of the above, each message once after a warm-up.

Targets (issue 17): held-out recall 100%, false alarms <= 3%; external recall >= 97% with
false alarms <= 5%; p95 <= 2 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.leakage import tsv_rows, words_key  # noqa: E402
from bot.services.crisis.classifier import (  # noqa: E402
    CRISIS_CORPUS,
    RiskClassifier,
    corpus_texts,
    ordinary_training_texts,
    thresholds_from_config,
)
from bot.services.crisis.detection import CrisisDetector, default_patterns_path  # noqa: E402
from bot.services.crisis.risk import RiskAssessor, RiskLevel  # noqa: E402
from tests.evaluation.sets import ordinary_messages  # noqa: E402

HELDOUT = ROOT / "tests" / "evaluation" / "heldout" / "crisis.yml"
EXTERNAL = ROOT.parent / "shared" / "eval" / "external"
EXTERNAL_FILES = ("crisis_positive.tsv", "crisis_negative.tsv")


def heldout_crisis() -> list[tuple[str, str]]:
    import yaml

    data = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    return [(kind, t) for kind, subjects in data.items() for texts in subjects.values() for t in texts]


def external(name: str) -> list[tuple[str, str]]:
    """(source file, text) rows; the source is cut to its repository and file, never the text."""
    return [((row.get("source") or "?").split(" ")[0][:60], row["text"]) for row in tsv_rows(EXTERNAL / name)]


def training_lines_in_external() -> int:
    """How many lines of the classifier's training data (our corpora and the NLU examples) have
    the same words as a line of the external sets: the figures below are only fair at 0."""
    external_keys = {words_key(t) for name in EXTERNAL_FILES for _, t in external(name)}
    training = corpus_texts(CRISIS_CORPUS) + ordinary_training_texts()
    return sum(words_key(t) in external_keys for t in training)


def rate(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f}%" if whole else "n/a"


def report(name: str, assessor: RiskAssessor) -> None:
    held, ordinary = heldout_crisis(), ordinary_messages()
    positive, negative = external("crisis_positive.tsv"), external("crisis_negative.tsv")
    times: list[float] = []

    def levels(texts: list[str]) -> list[RiskLevel]:
        out = []
        for text in texts:
            started = time.perf_counter()
            out.append(assessor.assess(text).level)
            times.append((time.perf_counter() - started) * 1000)
        return out

    for text in [t for _, t in held[:50]]:
        assessor.assess(text)  # warm-up: spaCy, the normaliser's word cache, the model
    held_levels = levels([t for _, t in held])
    missed = Counter(kind for (kind, _), level in zip(held, held_levels, strict=True) if level is RiskLevel.NONE)
    crisis_level = sum(level is RiskLevel.CRISIS for level in held_levels)
    ordinary_alarms = sum(level is not RiskLevel.NONE for level in levels(ordinary))
    print(f"\n== {name}")
    print(f"held-out crisis, caught (possible or crisis): {rate(len(held) - sum(missed.values()), len(held))}")
    print(f"held-out crisis, at crisis level: {rate(crisis_level, len(held))}")
    print(f"held-out misses by kind: {dict(sorted(missed.items()))}")
    print(f"held-out ordinary, false alarms: {rate(ordinary_alarms, len(ordinary))}")
    if positive:
        pos_levels = levels([t for _, t in positive])
        by_source = Counter(
            src for (src, _), level in zip(positive, pos_levels, strict=True) if level is RiskLevel.NONE
        )
        print(f"external crisis, caught: {rate(sum(lv is not RiskLevel.NONE for lv in pos_levels), len(positive))}")
        print(f"external misses by source: {dict(by_source.most_common())}")
    if negative:
        neg_levels = levels([t for _, t in negative])
        print(
            f"external ordinary, false alarms: {rate(sum(lv is not RiskLevel.NONE for lv in neg_levels), len(negative))}"
        )
    if not positive and not negative:
        print("external sets: not present")
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"time per message: p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms over {len(times)} messages")
    print("p95 target (<= 2 ms):", "met" if p95 <= 2 else "MISSED")


def main() -> None:
    import yaml

    from bot.language.spacy_pipeline import build_pipeline

    if any((EXTERNAL / name).exists() for name in EXTERNAL_FILES):
        print(f"training lines with the words of an external line: {training_lines_in_external()}")
    patterns = CrisisDetector(build_pipeline(), yaml.safe_load(default_patterns_path().read_text()), "patterns")
    report("patterns alone", RiskAssessor(patterns))
    thresholds = thresholds_from_config()
    report(
        f"patterns, then classifier (crisis >= {thresholds.crisis}, possible >= {thresholds.possible})",
        RiskAssessor(patterns, classifier=RiskClassifier.load(), thresholds=thresholds),
    )


if __name__ == "__main__":
    main()
