"""Messages that are never an answer to a form's question: one list, every form.

Inside a form Rasa fills the answer slot from whatever the person types, so a request typed
where an answer was expected ("show my triggers", a linking code, "what's the crisis number?")
used to be saved as the answer. content/form_interruptions.yml lists those intents and what
answers each; from it come the slots' `not_intent` lists and the rules that answer the message
and ask the question again (both made by bot/build.py), and the check every form's validation
makes. No Rasa here: plain data in, plain data out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.common.content_files import read_content
from bot.settings import PROJECT_ROOT

INTERRUPTIONS_PATH = PROJECT_ROOT / "content" / "form_interruptions.yml"
# Answered by CrisisPolicy before any form runs; never an answer either.
CRISIS_INTENTS = ("crisis", "possible_risk")
# Feelings ("I feel awful", "i had a panic attack earlier") are not kept out of the answer
# slots: "panic attacks" is a fair trigger. The form's validation asks
# bot/services/feelings/in_forms.said_as_a_feeling and refuses only a feeling said as one.
KINDS = ("commands", "remarks", "feelings")
NEVER_ANSWER_KINDS = ("commands", "remarks")
# Forms whose answer is how the person feels (a carer's message, a check-in, a reflection, the
# stress bucket): there a feeling is the answer, and is saved.
FEELINGS_WELCOME = "feelings_are_answers_in"


@dataclass(frozen=True)
class Interruption:
    intent: str
    reply: str  # the action or response that answers it
    kind: str  # "commands", "remarks" or "feelings"


class InterruptionsError(ValueError):
    """content/form_interruptions.yml is not as described at its top."""


def parse_interruptions(data: Any, source: str = str(INTERRUPTIONS_PATH)) -> tuple[Interruption, ...]:
    if not isinstance(data, dict) or set(data) - {*KINDS, FEELINGS_WELCOME}:
        raise InterruptionsError(f"{source}: expected only the sections {', '.join((*KINDS, FEELINGS_WELCOME))}")
    found: dict[str, Interruption] = {}
    for kind in KINDS:
        entries = data.get(kind) or {}
        if not isinstance(entries, dict):
            raise InterruptionsError(f"{source}: {kind} must be a list of 'intent: reply' lines")
        for intent, reply in entries.items():
            if not isinstance(reply, str) or not reply.startswith(("action_", "utter_")):
                raise InterruptionsError(f"{source}: {kind}.{intent}: the reply must be an action_ or utter_ name")
            if intent in found or intent in CRISIS_INTENTS:
                raise InterruptionsError(f"{source}: {kind}.{intent}: listed twice (or a crisis intent)")
            found[intent] = Interruption(str(intent), reply, kind)
    return tuple(found.values())


@lru_cache(maxsize=4)
def load_interruptions(path: Path = INTERRUPTIONS_PATH) -> tuple[Interruption, ...]:
    return parse_interruptions(read_content(path), str(path))


def never_answers(path: Path = INTERRUPTIONS_PATH) -> tuple[str, ...]:
    """Every intent that must never fill an answer slot, crisis first."""
    return CRISIS_INTENTS + tuple(item.intent for item in load_interruptions(path) if item.kind in NEVER_ANSWER_KINDS)


def feelings_intents(path: Path = INTERRUPTIONS_PATH) -> tuple[str, ...]:
    """Intents about how the person feels: never an answer when said as a feeling."""
    return tuple(item.intent for item in load_interruptions(path) if item.kind == "feelings")


@lru_cache(maxsize=4)
def feelings_are_answers_in(path: Path = INTERRUPTIONS_PATH) -> frozenset[str]:
    """The forms where a feeling is the answer (saved as usual)."""
    forms = (read_content(path) or {}).get(FEELINGS_WELCOME) or []
    if not isinstance(forms, list):
        raise InterruptionsError(f"{path}: {FEELINGS_WELCOME}: must be a list of form names")
    return frozenset(str(form) for form in forms)


def interruption_rules(forms: list[str], path: Path = INTERRUPTIONS_PATH) -> list[dict[str, Any]]:
    """One rule per form and interruption: answer it, then the same form asks its question again."""
    return [
        {
            "rule": f"in {form}, {item.intent} is answered by {item.reply}, then back to the question",
            "condition": [{"active_loop": form}],
            "steps": [
                {"intent": item.intent},
                {"action": item.reply},
                {"action": form},
                {"active_loop": form},
            ],
        }
        for form in forms
        for item in load_interruptions(path)
    ]


def with_never_answers(domain: dict[str, Any], path: Path = INTERRUPTIONS_PATH) -> dict[str, Any]:
    """The domain part with every typed-answer slot (a from_text mapping) ignoring those intents."""
    intents = list(never_answers(path))
    for slot in (domain.get("slots") or {}).values():
        for mapping in slot.get("mappings") or []:
            if mapping.get("type") == "from_text":
                mapping["not_intent"] = intents
    return domain
