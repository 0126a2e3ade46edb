"""Across EVERY form and every typed-answer slot of the built domain: nothing listed in
content/form_interruptions.yml can be saved as an answer, and each has its rule in each form
(issue 21.11). No training: the built domain and rules, as Rasa would read them."""

from __future__ import annotations

from functools import lru_cache

import pytest
import yaml

from bot.build import BUILT_DATA_DIR, build_domain
from bot.services.guided.interruptions import load_interruptions, never_answers


@lru_cache(maxsize=1)
def built() -> dict:
    merged: dict = {"intents": [], "slots": {}, "forms": {}, "actions": [], "responses": {}}
    for path in sorted(build_domain().glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        merged["intents"] += [i if isinstance(i, str) else next(iter(i)) for i in data.get("intents") or []]
        merged["actions"] += data.get("actions") or []
        for key in ("slots", "forms", "responses"):
            merged[key].update(data.get(key) or {})
    return merged


def typed_answer_slots() -> list[tuple[str, str]]:
    domain = built()
    return [
        (form, slot)
        for form, spec in domain["forms"].items()
        for slot in spec.get("required_slots") or []
        if any(m.get("type") == "from_text" for m in domain["slots"][slot].get("mappings") or [])
    ]


def test_there_are_typed_answer_slots_in_most_forms():
    assert len({form for form, _ in typed_answer_slots()}) >= 9


@pytest.mark.parametrize(("form", "slot"), typed_answer_slots())
def test_no_interruption_can_fill_the_answer(form, slot):
    for mapping in built()["slots"][slot]["mappings"]:
        if mapping.get("type") == "from_text":
            assert set(never_answers()) <= set(mapping.get("not_intent") or [])


@pytest.mark.parametrize("form", sorted(built()["forms"]))
def test_each_interruption_is_answered_in_the_form_and_the_question_comes_back(form):
    rules = yaml.safe_load((BUILT_DATA_DIR / "rules" / "form_interruptions.yml").read_text(encoding="utf-8"))["rules"]
    mine = {rule["steps"][0]["intent"]: rule for rule in rules if rule["condition"] == [{"active_loop": form}]}
    for item in load_interruptions():
        assert mine[item.intent]["steps"][-2:] == [{"action": form}, {"active_loop": form}]


def test_every_interruption_names_an_intent_and_a_reply_the_domain_has():
    domain = built()
    for item in load_interruptions():
        assert item.intent in domain["intents"], item.intent
        assert item.reply in domain["actions"] or item.reply in domain["responses"], item.reply
