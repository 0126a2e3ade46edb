"""A quick reply in the web chat sends the button's title as text, read by NLU like any words
(a payload such as "/affirm" would skip NLU and the crisis detector). So every button's title
must be understood as the intent its payload names."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from bot.build import BUILT_DOMAIN_DIR
from bot.services.wrap.plan import section_from_text

pytestmark = pytest.mark.slow

# Intents the rules treat alike (both run action_wrap_start, which resumes the plan).
SAME_TURN = {"wrap_start": "wrap_continue"}
PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<entities>\{.*\})?$")


def buttons() -> list[tuple[str, str, dict]]:
    found = []
    for path in sorted(BUILT_DOMAIN_DIR.glob("*.yml")):
        for variations in (yaml.safe_load(path.read_text()).get("responses") or {}).values():
            for variation in variations:
                for button in variation.get("buttons") or []:
                    if not button["payload"].startswith("/"):
                        continue  # plain words ("yes"), read like anything typed (consent answers)
                    match = PAYLOAD.match(button["payload"])
                    assert match, f"button {button['title']!r} has a payload that is not an intent"
                    entities = json.loads(match.group("entities") or "{}")
                    found.append((button["title"], match.group("intent"), entities))
    return found


async def test_every_button_title_is_understood_as_its_intent(agent):
    found = buttons()
    assert len(found) >= 10
    wrong = []
    for title, intent, entities in found:
        intent = SAME_TURN.get(intent, intent)
        parsed = await agent.parse_message(title)
        got = SAME_TURN.get(parsed["intent"]["name"], parsed["intent"]["name"])
        got_entities = {e["entity"]: e["value"] for e in parsed.get("entities", [])}
        if "wrap_section" not in got_entities and section_from_text(title):
            got_entities["wrap_section"] = section_from_text(title)  # the actions read it from the text too
        if got != intent or any(got_entities.get(k) != v for k, v in entities.items()):
            wrong.append(f"{title!r}: wanted {intent} {entities}, got {got} {got_entities}")
    assert not wrong, "\n".join(wrong)
