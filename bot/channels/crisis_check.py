"""Read a text with NLU alone (the whole pipeline, crisis detector included) without a
dialogue turn. The channels use it for texts that will not reach the dialogue (SMS keywords,
texts after STOP, messages over the rate limit), so a crisis message is never swallowed."""
from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"


async def nlu_says_crisis(agent: Any, text: str) -> bool:
    if agent is None or not text:
        return False
    try:
        parsed = await agent.parse_message(text)
    except Exception:
        logger.exception("NLU could not read a text outside the dialogue (content not logged).")
        return False
    return ((parsed or {}).get("intent") or {}).get("name") == CRISIS_INTENT
