"""Turning what someone says into a peer support search, and the search into replies.

Reads content/peer_support_conversation.yml for the words that point to an experience, and
uses bot/services/peer_support/directory.py for the directory itself.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.common.content_files import read_content
from bot.services.peer_support import directory as peer_support
from bot.settings import PROJECT_ROOT

CONVERSATION_PATH = PROJECT_ROOT / "content" / "peer_support_conversation.yml"
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "one": 1, "two": 2, "three": 3}


@lru_cache(maxsize=1)
def conversation_content() -> dict:
    data = read_content(CONVERSATION_PATH)
    unknown = set(data["experience_words"]) - peer_support.EXPERIENCES
    if unknown:
        raise ValueError(f"{CONVERSATION_PATH}: experience_words: unknown experiences {sorted(unknown)}")
    return data


def text(text_id: str, **values: str) -> str:
    return " ".join(conversation_content()["texts"][text_id].split()).format(**values)


def _has_phrase(message: str, phrase: str) -> bool:
    return re.search(rf"\b{re.escape(phrase.lower())}\b", message) is not None


def experience_in(message: str) -> str | None:
    """The experience someone names ("I hear voices" -> hearing_voices), or None."""
    lowered = (message or "").lower().replace("\u2019", "'")
    best: tuple[int, str] | None = None
    for experience, phrases in conversation_content()["experience_words"].items():
        for phrase in phrases:
            if _has_phrase(lowered, phrase) and (best is None or len(phrase) > best[0]):
                best = (len(phrase), experience)
    return best[1] if best else None


def is_for_a_carer(message: str, role: str | None) -> bool:
    lowered = (message or "").lower()
    return role == "carer" or any(_has_phrase(lowered, phrase) for phrase in conversation_content()["carer_words"])


def search(experience: str | None, district: str | None, for_carer: bool) -> tuple[list[str], bool]:
    """Service ids, best first, and whether any matched the need (else general ones)."""
    audience = "carer" if for_carer else "service_user"
    need = None if experience in (None, peer_support.ANY_EXPERIENCE) else experience
    found = peer_support.find_services(audience, need, None, district)
    if found:
        return [service.id for service in found], True
    fallback = peer_support.find_services(audience, None, None, None)
    return [service.id for service in fallback], False


def services_by_id(ids: list[str]) -> list[peer_support.PeerService]:
    by_id = {service.id: service for service in peer_support.load_directory()}
    return [by_id[service_id] for service_id in ids if service_id in by_id]


def chosen_number(message: str) -> int | None:
    """The number in "SAVE 2" or "save the second one" (1-based), or None."""
    lowered = (message or "").lower()
    digits = re.search(r"\b(\d{1,2})\b", lowered)
    if digits:
        return int(digits.group(1))
    return next((number for word, number in ORDINALS.items() if _has_phrase(lowered, word)), None)
