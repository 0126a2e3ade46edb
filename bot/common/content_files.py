"""Reading content/*.yml, and saying exactly where a problem is.

A service edits content by hand, so a mistake must stop start-up with one line that names the
file, the line and what is wrong, never a PyYAML traceback. Every content loader reads its file
with `read_content`; each still checks its own fields and raises ValueError as
"<file>: <entry>: <problem>", and `with_line` adds the line of that entry for the person who
has to fix it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: faster
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ENTRY_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class ContentError(ValueError):
    """A content file that cannot be used; str() is the one line to show."""


def read_content(path: Path | str) -> Any:
    """The parsed YAML of one content file, or ContentError naming file, line and problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentError(f"{path}: is not UTF-8 text (byte {error.start}); save it as UTF-8") from None
    except OSError as error:
        raise ContentError(f"{path}: cannot be read ({error.strerror or error})") from None
    return parse_content(text, path)


def parse_content(text: str, path: Path | str) -> Any:
    """The parsed YAML of text read from `path` (for loaders and tests that already hold it)."""
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}, line {mark.line + 1}, column {mark.column + 1}" if mark else str(path)
        problem = error.problem or error.context or "is not valid YAML"
        raise ContentError(f"{where}: {problem} (the file is not valid YAML)") from None
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: is not valid YAML ({error})") from None


def line_of(path: Path | str, entry: str) -> int | None:
    """The 1-based line of `entry` ("texts.crisis_reply", "contacts[2].source"), or of the nearest
    part of it that exists (a missing key is reported at its parent); None if nothing matches."""
    try:
        node = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=_COMPOSER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    line = None
    for key, index in _ENTRY_PART.findall(entry):
        if isinstance(node, yaml.MappingNode) and key:
            found = next((value for name, value in node.value if getattr(name, "value", None) == key), None)
            if found is None:
                break
            line = next(name for name, value in node.value if value is found).start_mark.line + 1
            node = found
        elif isinstance(node, yaml.SequenceNode) and index and int(index) < len(node.value):
            node = node.value[int(index)]
            line = node.start_mark.line + 1
        else:
            break
    return line


def with_line(problem: Exception) -> str:
    """A loader's "<file>: <entry>: <problem>" with the entry's line added where it can be found."""
    message = str(problem)
    parts = message.split(": ", 2)
    if len(parts) == 3 and parts[0].endswith((".yml", ".yaml")) and ", line " not in parts[0]:
        path, entry, detail = parts
        line = line_of(path, entry) if entry != "file" else None
        if line is not None:
            return f"{path}, line {line} ({entry}): {detail}"
    return message
