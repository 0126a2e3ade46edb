"""Read a text with NLU alone (the whole pipeline, crisis detector included) without a
dialogue turn. The channels use it for texts that will not reach the dialogue (SMS keywords,
texts after STOP, messages over the rate limit), so a crisis message is never swallowed."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"
POSSIBLE_RISK_INTENT = "possible_risk"  # the contacts and "Are you safe right now?"
RISK_INTENTS = (CRISIS_INTENT, POSSIBLE_RISK_INTENT)
CRISIS_CONTACTS_INTENT = "crisis_contacts"
# Replies that carry the crisis contacts: on SMS they are never cancelled and leave at once.
CRISIS_RESPONSES = frozenset({"utter_crisis", "utter_crisis_contacts", "utter_possible_risk"})


def turn_failed_text() -> str:
    """What the web chat and REST say when a turn failed on our side: sorry, nothing before is
    lost, send it again, and the crisis contacts (content/crisis.yml; no database needed)."""
    from bot.services.crisis.content import load_crisis_content
    from bot.settings import get_settings

    return load_crisis_content(get_settings()).render("turn_failed")


async def nlu_intent(agent: Any, text: str) -> str | None:
    """The intent NLU gives the text, or None when it could not be read (no agent, an error)."""
    if agent is None:
        return None
    try:
        parsed = await agent.parse_message(text)
    except Exception:
        logger.exception("NLU could not read a text outside the dialogue (content not logged).")
        return None
    return ((parsed or {}).get("intent") or {}).get("name")


async def must_let_through(agent: Any, text: str) -> bool:
    """For a message over the rate limit: crisis or possible-risk language or a request for the
    crisis contacts is let through, and so is any message that could not be read (never drop
    what we cannot check)."""
    if not text:
        return False
    return await nlu_intent(agent, text) in (None, *RISK_INTENTS, CRISIS_CONTACTS_INTENT)
