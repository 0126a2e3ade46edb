"""The hazard log names, for every hazard, tests that exist."""

from __future__ import annotations

import ast
import re

from bot.settings import PROJECT_ROOT

HAZARD_LOG = PROJECT_ROOT / "docs" / "clinical-safety.md"
TEST_ID = re.compile(r"(tests/[\w/]+\.py)::(\w+)")


def hazards() -> dict[str, str]:
    """Each '### H<n>.' section of the log, by its heading."""
    sections = re.split(r"^### ", HAZARD_LOG.read_text(encoding="utf-8"), flags=re.M)[1:]
    return {section.splitlines()[0]: section for section in sections if re.match(r"H\d+\.", section)}


def defined_tests(path: str) -> set[str]:
    tree = ast.parse((PROJECT_ROOT / path).read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")
    }


def test_the_log_has_hazards():
    assert len(hazards()) >= 8


def test_every_hazard_names_tests_that_exist():
    problems = []
    for heading, section in hazards().items():
        ids = TEST_ID.findall(section)
        if not ids:
            problems.append(f"{heading}: names no test")
        for path, name in ids:
            if not (PROJECT_ROOT / path).exists():
                problems.append(f"{heading}: {path} does not exist")
            elif name not in defined_tests(path):
                problems.append(f"{heading}: {path}::{name} does not exist")
    assert not problems, "\n".join(problems)


def test_every_hazard_has_its_own_number():
    numbers = [re.match(r"(H\d+[a-z]?)\.", heading).group(1) for heading in hazards()]
    repeated = sorted({number for number in numbers if numbers.count(number) > 1})
    assert not repeated, f"hazard numbers used twice: {repeated}"
