"""A question with buttons reaches SMS as one text: the question and all its numbered choices.

Split across two texts, the choices arrive apart from the question they answer (issue 22.14:
"delete my data"). Every response variant in domain.yml and bot/domain/*.yml that has buttons
is turned into texts exactly as the SMS channel does (bot/services/sms/turns.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.services.sms.content import load_sms_content
from bot.services.sms.turns import BotReply, sms_bodies
from bot.settings import PROJECT_ROOT


def _responses_with_buttons() -> Iterator[tuple[str, str, tuple[tuple[str, str], ...]]]:
    files = [PROJECT_ROOT / "domain.yml", *sorted((PROJECT_ROOT / "bot" / "domain").glob("*.yml"))]
    for path in files:
        responses = (yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}).get("responses") or {}
        for name, variants in responses.items():
            for index, variant in enumerate(variants or []):
                if variant.get("buttons"):
                    buttons = tuple((str(b["title"]), str(b["payload"])) for b in variant["buttons"])
                    yield f"{path.name}: {name}[{index}]", " ".join(str(variant.get("text") or "").split()), buttons


RESPONSES = list(_responses_with_buttons())


def test_there_are_questions_with_buttons_to_check():
    assert any("utter_ask_delete_my_data" in where for where, _, _ in RESPONSES)


@pytest.mark.parametrize(("where", "text", "buttons"), RESPONSES, ids=[where for where, _, _ in RESPONSES])
def test_a_question_and_its_choices_go_in_one_text(where, text, buttons):
    bodies, payloads = sms_bodies([BotReply(text, buttons)], load_sms_content())
    assert len(bodies) == 1, f"{where}: splits into {len(bodies)} texts of {[len(b) for b in bodies]} characters"
    assert payloads == [payload for _, payload in buttons]
