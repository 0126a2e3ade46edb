"""Every response in the domain is used, and every `utter_` the bot sends exists (issue 19.4).

A response nobody sends is dead text that still has to be kept plain, UK-spelt and true; an
`utter_` name that is not in the domain makes Rasa send nothing at all, which for a person on a
bad day is a dead end. Both are found here without training: the built domain (domain.yml, every
bot/domain/*.yml part and the crisis responses made from content) against the names the code,
rules and stories use.
"""

from __future__ import annotations

import ast
import re

import yaml

from bot.build import BUILT_DATA_DIR, DATA_DIR, build_domain
from bot.settings import PROJECT_ROOT

RESPONSE_NAME = re.compile(r"^utter_[a-z0-9_]+$")
# Sent by Rasa itself: action_default_fallback utters utter_default; a form asks for a slot with
# utter_ask_<form>_<slot> or utter_ask_<slot>.
SENT_BY_RASA = {"utter_default"}
# Not responses: the field of a bot message that names the response it came from.
RASA_FIELDS = {"utter_action"}
STORY_DIRS = (DATA_DIR, BUILT_DATA_DIR, PROJECT_ROOT / "tests" / "stories")


def domain_responses() -> set[str]:
    names: set[str] = set()
    for path in sorted(build_domain().glob("*.yml")):
        names |= set((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    return names


def names_in_python() -> tuple[set[str], set[str]]:
    """Exact `utter_...` string constants, and the fixed prefixes of f-strings like f"utter_x_{y}"."""
    exact: set[str] = set()
    prefixes: set[str] = set()
    for path in (PROJECT_ROOT / "bot").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside_fstrings = {
            id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and RESPONSE_NAME.match(node.value)
                and id(node) not in inside_fstrings
                and node.value not in RASA_FIELDS
            ):
                exact.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and str(first.value).startswith("utter_"):
                    prefixes.add(str(first.value))
    return exact, prefixes


def names_in_steps() -> set[str]:
    names: set[str] = set()
    for directory in STORY_DIRS:
        for path in directory.rglob("*.yml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for section in ("rules", "stories"):
                for flow in data.get(section) or []:
                    for step in flow.get("steps") or []:
                        action = step.get("action") if isinstance(step, dict) else None
                        if action and action.startswith("utter_"):
                            names.add(action)
    return names


def asked_by_forms(responses: set[str]) -> set[str]:
    return {name for name in responses if name.startswith("utter_ask_")}


def missing_responses(responses: set[str]) -> list[str]:
    exact, prefixes = names_in_python()
    missing = sorted((exact | names_in_steps()) - responses)
    return missing + [f"{prefix}..." for prefix in sorted(prefixes) if not any(n.startswith(prefix) for n in responses)]


def unused_responses(responses: set[str]) -> list[str]:
    exact, prefixes = names_in_python()
    used = exact | names_in_steps() | SENT_BY_RASA | asked_by_forms(responses)
    return sorted(name for name in responses - used if not any(name.startswith(prefix) for prefix in prefixes))


def test_every_response_the_bot_sends_is_in_the_domain():
    missing = missing_responses(domain_responses())
    assert not missing, f"sent but not in the domain: {missing}"


def test_every_response_in_the_domain_is_used():
    unused = unused_responses(domain_responses())
    assert not unused, f"in the domain but never sent: {unused}"


def test_the_checks_can_fail():
    """A planted response nobody sends is reported, and so is one the code sends that is gone."""
    responses = domain_responses()
    assert unused_responses(responses | {"utter_planted_for_the_test"}) == ["utter_planted_for_the_test"]
    assert "utter_crisis" in missing_responses(responses - {"utter_crisis"})
