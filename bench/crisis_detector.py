"""Micro-benchmark: how long the crisis detector adds to each message.

    .venv/bin/python bench/crisis_detector.py

Runs every evaluation message (crisis and ordinary) through the detector several times and
prints the median time per message. The target is under 1 ms (issue: crisis safety). The full
`make bench` (throughput, latency, memory) will report this too when it exists.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.language.spacy_pipeline import build_pipeline  # noqa: E402
from bot.services.crisis.detection import CrisisDetector, default_patterns_path  # noqa: E402
from tests.evaluation.sets import crisis_cases, ordinary_messages  # noqa: E402

ROUNDS = 5


def main() -> None:
    import yaml

    detector = CrisisDetector(build_pipeline(), yaml.safe_load(default_patterns_path().read_text()), "patterns")
    messages = [text for text, _, _ in crisis_cases()] + ordinary_messages()
    per_message = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for text in messages:
            detector.detect(text)
        per_message.append((time.perf_counter() - started) / len(messages) * 1000)
    median = statistics.median(per_message)
    print(f"crisis detector: {median:.3f} ms per message (median of {ROUNDS} rounds over {len(messages)} messages)")
    print("target: under 1 ms -", "met" if median < 1 else "MISSED")


if __name__ == "__main__":
    main()
