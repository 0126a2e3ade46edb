"""Candidate NLU examples (bench/nlu_candidates/*.yml): keep only lines fit to train on, then
move them into bot/data/nlu once the conversation tests pass with them.

A candidate is dropped when it repeats a training line, has or holds the words of an external
evaluation line or of a tests/evaluation line (bench/leakage.py's `words_key`), has 3 letters or fewer
(gibberish would read as "yes"), has brackets, digits outside the code intents, or the word
"crisis", or when the crisis patterns read it as risk (risk words belong to the crisis
detector, not to an intent). Only counts are printed, never a line.

    .venv/bin/python bench/nlu_candidate_filter.py           # prune the candidate files in place
    .venv/bin/python bench/nlu_candidate_filter.py --apply   # and move what is left into bot/data/nlu
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.leakage import holds_a_line, tsv_rows, words_key  # noqa: E402
from bot.language.normalise import strings_in  # noqa: E402
from bot.language.training_examples import intent_examples, nlu_files  # noqa: E402

CANDIDATES_DIR = ROOT / "bench" / "nlu_candidates"
NLU_DIR = ROOT / "bot" / "data" / "nlu"
EXTERNAL_DIR = ROOT.parent / "shared" / "eval" / "external"
EVALUATION_DIR = ROOT / "tests" / "evaluation"
CODE_INTENTS = frozenset({"enrolment_code", "link_code", "carer_link_code"})


def evaluation_keys() -> set[str]:
    """The words of every evaluation line: external files and the project's own held-out sets."""
    keys = {words_key(row["text"]) for path in sorted(EXTERNAL_DIR.glob("*.tsv")) for row in tsv_rows(path)}
    for path in sorted(EVALUATION_DIR.rglob("*.yml")):
        keys |= {words_key(text) for text in strings_in(yaml.safe_load(path.read_text(encoding="utf-8")))}
    return keys


def training_keys() -> dict[str, str]:
    """words key -> intent, of every training example today."""
    return {words_key(text): intent for intent, text in intent_examples(nlu_files(NLU_DIR))}


def rejection(text: str, intent: str, known: dict[str, str], banned: set[str], is_risk: Any) -> str | None:
    """Why a candidate may not be trained on, or None."""
    key = words_key(text)
    if key in banned or holds_a_line(key, banned):
        return "evaluation line"
    if key in known:
        return "repeat"
    if len(re.sub(r"[^a-z]", "", text.lower())) <= 3:
        return "too short"
    if re.search(r"[\[\]{}()]", text):
        return "brackets"
    if intent not in CODE_INTENTS and re.search(r"\d", text):
        return "digits"
    if "crisis" in text.lower() or is_risk(text):
        return "risk"
    return None


def _with_examples(path: Path, intent: str, lines: list[str]) -> None:
    """Append lines to an intent's examples block in a training file, keeping its comments."""
    text = path.read_text(encoding="utf-8")
    block = re.search(rf"- intent: {re.escape(intent)}\n  examples: \|\n((?:    .*\n)+)", text)
    if block is None:
        raise SystemExit(f"{path.name}: no examples block for {intent}")
    addition = "".join(f"    - {line}\n" for line in lines)
    path.write_text(text[: block.end()] + addition + text[block.end() :], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apply", action="store_true", help="move the kept lines into bot/data/nlu")
    arguments = parser.parse_args()

    from bot.services.crisis.risk import RiskAssessor
    from bot.settings import SPACY_PIPELINE_PATH

    assessor = RiskAssessor.from_files(SPACY_PIPELINE_PATH)
    banned, known = evaluation_keys(), training_keys()
    dropped: Counter[str] = Counter()
    kept = 0
    for path in sorted(CANDIDATES_DIR.glob("*.yml")):
        keep: dict[str, list[str]] = {}
        for intent, text in intent_examples([path]):
            reason = rejection(text, intent, known, banned, lambda t: assessor.assess_message(t).is_risk)
            if reason:
                dropped[reason] += 1
                continue
            known[words_key(text)] = intent
            keep.setdefault(intent, []).append(text)
            kept += 1
        if arguments.apply:
            for intent, lines in keep.items():
                _with_examples(NLU_DIR / path.name, intent, lines)
            path.unlink()
        else:
            path.write_text(_dump(keep), encoding="utf-8")
    print(f"kept {kept}; dropped {dict(dropped)}")


def _dump(examples_by_intent: dict[str, list[str]]) -> str:
    lines = ['version: "3.1"', "nlu:"]
    for intent, texts in examples_by_intent.items():
        lines += [f"- intent: {intent}", "  examples: |", *(f"    - {text}" for text in texts)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
