"""The NLU training examples (bot/data/nlu/*.yml) as plain (intent, text) pairs.

Why: what people say to Alongside every day is also what other learned parts must not take
for something else (the risk classifier learns them as ordinary messages), and tests walk them.
Rasa's own loader needs Rasa; this reads the same files with the project's content reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.common.content_files import read_content
from bot.settings import PROJECT_ROOT

NLU_DATA_DIR = PROJECT_ROOT / "bot" / "data" / "nlu"


def nlu_files(nlu_dir: Path = NLU_DATA_DIR) -> list[Path]:
    return sorted(Path(nlu_dir).glob("*.yml"))


def intent_examples(paths: Iterable[Path]) -> list[tuple[str, str]]:
    """(intent, example) for every example of every intent in the files, in file order."""
    found = []
    for path in paths:
        for block in (read_content(path) or {}).get("nlu") or []:
            if not isinstance(block, dict) or "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                text = line.strip()[2:].strip() if line.strip().startswith("- ") else ""
                if text:
                    found.append((str(block["intent"]), text))
    return found
