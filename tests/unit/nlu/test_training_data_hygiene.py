"""The NLU training data never holds a line of the external evaluation file.

`../shared/eval/external/intents.tsv` (other projects' chatbot data) measures how Alongside
understands messages it was never written for (bench/nlu_quality.py). A training example with
the same words would make that figure a lie. Words are compared without case or punctuation,
and an apostrophe counts as a space, as that file writes "i m". Greetings and thanks of one or
two words ("hello", "thank you") are what anyone would write, so only lines of three words or
more count. Skipped when the file is absent. A failure names the intents, never the lines.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
NLU_DIR = ROOT / "bot" / "data" / "nlu"
EXTERNAL = ROOT.parent / "shared" / "eval" / "external" / "intents.tsv"
SHORTEST = 3


def words_key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def training_examples() -> list[tuple[str, str]]:
    examples = []
    for path in sorted(NLU_DIR.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                lines = block["examples"].splitlines()
                examples += [(block["intent"], line.strip()[2:]) for line in lines if line.strip().startswith("- ")]
    return examples


def test_the_words_key_treats_apostrophes_as_spaces():
    assert words_key("I'm SO tired!!") == "i m so tired"


@pytest.mark.skipif(not EXTERNAL.exists(), reason="external evaluation file absent")
def test_no_training_example_is_an_external_evaluation_line():
    external = {
        key
        for line in EXTERNAL.read_text(encoding="utf-8", errors="replace").splitlines()
        for cell in line.split("\t")
        if len((key := words_key(cell)).split()) >= SHORTEST
    }
    leaked = Counter(intent for intent, text in training_examples() if words_key(text) in external)
    assert not leaked, f"training examples equal to external lines, by intent: {dict(leaked)}"
