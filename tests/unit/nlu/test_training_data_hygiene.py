"""The NLU training data, and the candidates waiting in bench/nlu_candidates, never hold a line of
the external evaluation file.

`../shared/eval/external/intents.tsv` (other projects' chatbot data) measures how Alongside
understands messages it was never written for (bench/nlu_quality.py). A training example with
the same words (bench/leakage.py's `words_key`), or holding them inside a longer line ("hi,"
before it), would make that figure a lie. Greetings and
thanks of one or two words ("hello", "thank you") are what anyone would write, so only lines of
three words or more count. Skipped when the file is absent. A failure names the intents, never
the lines.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bench.leakage import holds_a_line, tsv_rows, words_key

ROOT = Path(__file__).resolve().parents[3]
NLU_DIR = ROOT / "bot" / "data" / "nlu"
CANDIDATES_DIR = ROOT / "bench" / "nlu_candidates"
EXTERNAL = ROOT.parent / "shared" / "eval" / "external" / "intents.tsv"
SHORTEST = 3


def test_the_words_key_treats_apostrophes_as_spaces():
    assert words_key("I'm SO tired!!") == "i m so tired"


def test_a_line_padded_with_other_words_still_holds_it():
    assert holds_a_line("hi what can you do", {"what can you do"})
    assert not holds_a_line("what can you", {"what can you do"})


@pytest.mark.skipif(not EXTERNAL.exists(), reason="external evaluation file absent")
@pytest.mark.parametrize("source", [NLU_DIR, *sorted(CANDIDATES_DIR.glob("*.yml"))], ids=lambda path: path.name)
def test_no_example_holds_an_external_evaluation_line(source: Path):
    external = {key for row in tsv_rows(EXTERNAL) if len((key := words_key(row["text"])).split()) >= SHORTEST}
    examples = load_data(str(source)).intent_examples
    leaked = Counter(m.get("intent") for m in examples if holds_a_line(words_key(m.get("text")), external, SHORTEST))
    assert not leaked, f"examples holding external lines, by intent: {dict(leaked)}"
