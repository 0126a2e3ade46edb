"""Turning what someone says into a peer support search, and the search into replies.

Reads content/peer_support_conversation.yml for the words that point to an experience, and
uses bot/services/peer_support/directory.py for the directory itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Results:
    """What a search found: service ids, best first, and what to say before showing them."""

    ids: list[str]
    matched: bool  # some fit the need; otherwise general services are offered instead
    district: str | None = None  # the postcode district searched near, if one was given
    local: bool = False  # some of them are local to that district

    @property
    def nothing_local(self) -> bool:
        """A district was given but nothing is listed there: only national services are shown."""
        return self.district is not None and not self.local


def search(
    experience: str | None,
    district: str | None,
    for_carer: bool,
    *,
    directory: Sequence[peer_support.PeerService] | None = None,
) -> Results:
    """The services that fit, best first, local ones for the district before national ones."""
    audience = "carer" if for_carer else "service_user"
    need = None if experience in (None, peer_support.ANY_EXPERIENCE) else experience
    district = peer_support.postcode_district(district)
    found = peer_support.find_services(audience, need, None, district, directory=directory)
    if not found:
        fallback = peer_support.find_services(audience, None, None, None, directory=directory)
        return Results([service.id for service in fallback], False, district)
    local = any(service.area.covers(district) for service in found)
    return Results([service.id for service in found], True, district, local)


def introduction(results: Results) -> str:
    """The line before the results. With a district but nothing listed near it, it says so
    plainly, so national services are not taken for local ones."""
    if not results.matched:
        return text("no_match")
    if results.nothing_local:
        return text("nothing_local")
    return text("found")


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
