"""The local spaCy pipeline: blank English with lookup lemmas.

spaCy's trained models are downloaded from GitHub, which a deploying trust may not allow and
this project cannot rely on. A blank English tokenizer plus the lookup lemmatizer from
`spacy-lookups-data` (an official Explosion package) gives every component what it needs:
tokens and lemmas. The pipeline is saved to disk once and loaded by path.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

PIPELINE_NAME = "en_alongside"


def build_pipeline() -> Language:
    """A blank English pipeline with the lookup lemmatizer, initialised from spacy-lookups-data."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = PIPELINE_NAME
    return nlp


def ensure_pipeline(path: Path) -> Path:
    """Save the pipeline at `path` unless it is already there. Returns the path."""
    if not (path / "meta.json").exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        build_pipeline().to_disk(path)
    return path


@lru_cache(maxsize=4)
def load_pipeline(path: str) -> Language:
    """Load the saved pipeline once per process (it is shared by every caller)."""
    return spacy.load(ensure_pipeline(Path(path)))
