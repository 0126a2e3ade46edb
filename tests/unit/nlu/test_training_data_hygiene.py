"""The NLU training data never holds a line of the external evaluation file.

`../shared/eval/external/intents.tsv` (other projects' chatbot data) measures how Alongside
understands messages it was never written for (bench/nlu_quality.py). A training example with
the same words (bench/leakage.py's `words_key`) would make that figure a lie. Greetings and
thanks of one or two words ("hello", "thank you") are what anyone would write, so only lines of
three words or more count. Skipped when the file is absent. A failure names the intents, never
the lines.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bench.leakage import tsv_rows, words_key

ROOT = Path(__file__).resolve().parents[3]
NLU_DIR = ROOT / "bot" / "data" / "nlu"
EXTERNAL = ROOT.parent / "shared" / "eval" / "external" / "intents.tsv"
SHORTEST = 3


def test_the_words_key_treats_apostrophes_as_spaces():
    assert words_key("I'm SO tired!!") == "i m so tired"


@pytest.mark.skipif(not EXTERNAL.exists(), reason="external evaluation file absent")
def test_no_training_example_is_an_external_evaluation_line():
    external = {key for row in tsv_rows(EXTERNAL) if len((key := words_key(row["text"])).split()) >= SHORTEST}
    examples = load_data(str(NLU_DIR)).intent_examples
    leaked = Counter(m.get("intent") for m in examples if words_key(m.get("text")) in external)
    assert not leaked, f"training examples equal to external lines, by intent: {dict(leaked)}"
