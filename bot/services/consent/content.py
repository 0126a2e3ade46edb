"""What sharing is called and what Alongside says about it, read from content/consent.yml.

Loading checks what a careless edit could break (the category ids consent records are stored
under, placeholders, plain-SMS characters and length, keywords shared by two categories) and
raises ValueError naming the file, the entry and the problem.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.common.content_files import read_content
from bot.common.sms_text import gsm7_length, gsm7_problem
from bot.services.guided.list_answers import join_for_reading
from bot.services.wrap.content import SECTION_IDS, load_wrap_content, match_words
from bot.settings import PROJECT_ROOT

CONSENT_CONTENT_PATH = PROJECT_ROOT / "content" / "consent.yml"
OTHER_CATEGORY_IDS = ("goals_checkins", "recovery_meaning", "crisis_alerts")
CATEGORY_IDS = SECTION_IDS + OTHER_CATEGORY_IDS
MAX_MESSAGE_CHARS = 320
# A text is checked with values as long as they are likely to get (the three longest names).
_LONG_COORDINATOR = "Alexandra-Louise"
_LONG_DATE = "30 September 2026"

# Every text Alongside needs, and the placeholders each must contain.
REQUIRED_TEXTS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "ask_intro": frozenset({"coordinator"}),
        "ask": frozenset({"categories", "coordinator"}),
        "ask_some": frozenset(),
        "ask_review": frozenset({"date", "categories", "coordinator"}),
        "shared": frozenset({"coordinator", "categories"}),
        "not_shared": frozenset({"categories"}),
        "declined": frozenset({"date"}),
        "not_now": frozenset(),
        "stopped": frozenset(),
        "unclear": frozenset(),
        "unclear_gave_up": frozenset(),
        "only_these": frozenset({"categories"}),
        "no_coordinator": frozenset(),
        "no_coordinator_meanwhile": frozenset(),
        "nothing_to_share": frozenset({"categories"}),
        "already_shared": frozenset({"coordinator", "categories"}),
        "already_shared_after_section": frozenset({"coordinator", "categories"}),
        "next_part": frozenset({"section"}),
        "who_nobody": frozenset(),
        "who_coordinator": frozenset({"coordinator", "categories"}),
        "who_carer": frozenset({"categories"}),
        "who_review": frozenset({"coordinator", "categories"}),
        "who_how_to_stop": frozenset(),
        "withdrawn": frozenset({"coordinator", "categories"}),
        "withdrawn_carer": frozenset({"categories"}),
        "withdraw_nothing": frozenset({"categories"}),
        "withdraw_nothing_at_all": frozenset(),
    }
)
PLACEHOLDERS = frozenset({"coordinator", "categories", "section", "date"})
WORD_LISTS = (
    "everything_words",
    "except_words",
    "yes_words",
    "no_words",
    "not_now_words",
    "unsure_words",
    "filler_words",
)


@dataclass(frozen=True)
class Category:
    id: str
    name: str  # follows "your" in a sentence: "triggers", "crisis plan"
    keywords: tuple[tuple[str, ...], ...]  # each keyword as match_words() would read it


@dataclass(frozen=True)
class ConsentContent:
    source: str
    purpose: str
    categories: tuple[Category, ...]
    texts: Mapping[str, str]
    words: Mapping[str, tuple[tuple[str, ...], ...]]  # everything_words ... as matched words
    notification_subject: str
    notification_body: str

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)

    def names(self, category_ids: Iterable[str]) -> str:
        """ "triggers and crisis plan", in the order of the plan."""
        wanted = set(category_ids)
        return join_for_reading(c.name for c in self.categories if c.id in wanted)

    def text(self, text_id: str, **values: str) -> str:
        return self.texts[text_id].format(**values)


@lru_cache(maxsize=1)
def load_consent_content(path: Path | str = CONSENT_CONTENT_PATH) -> ConsentContent:
    path = Path(path)
    data = read_content(path)
    return _Parser(path).parse(data)


class _Parser:
    def __init__(self, path: Path) -> None:
        self.path = path

    def problem(self, entry: str, problem: str) -> ValueError:
        return ValueError(f"{self.path}: {entry}: {problem}")

    def parse(self, data: Any) -> ConsentContent:
        if not isinstance(data, dict):
            raise self.problem("file", "must be a mapping with source, purpose, categories and texts")
        source = self.plain("source", data.get("source"), gsm7=False)
        purpose = self.plain("purpose", data.get("purpose"))
        if len(purpose) > 80:
            raise self.problem("purpose", "is longer than 80 characters")
        categories = self.categories(data.get("categories"))
        words = {name: self.word_list(name, data.get(name)) for name in WORD_LISTS}
        texts = self.texts(data.get("texts"), categories)
        notification = data.get("notification") or {}
        subject = self.plain("notification.subject", notification.get("subject"))
        body = self.plain("notification.body", notification.get("body"))
        if gsm7_length(body) > MAX_MESSAGE_CHARS:
            raise self.problem("notification.body", f"is longer than {MAX_MESSAGE_CHARS} characters (SMS)")
        if "{" in body or "{" in subject:
            raise self.problem("notification", "takes no placeholders: it must not name anyone")
        return ConsentContent(
            source, purpose, categories, MappingProxyType(texts), MappingProxyType(words), subject, body
        )

    def plain(self, entry: str, value: Any, *, gsm7: bool = True) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.problem(entry, "is missing or empty")
        text = " ".join(value.split())
        problem = gsm7_problem(text) if gsm7 else None
        if problem:
            raise self.problem(entry, problem)
        return text

    def categories(self, raw: Any) -> tuple[Category, ...]:
        if not isinstance(raw, list):
            raise self.problem("categories", "must be a list")
        ids = tuple(entry.get("id") if isinstance(entry, dict) else None for entry in raw)
        if ids != CATEGORY_IDS:
            raise self.problem("categories", f"must be, in this order: {', '.join(CATEGORY_IDS)}")
        wrap = load_wrap_content()
        categories: list[Category] = []
        owner: dict[tuple[str, ...], str] = {}
        for entry in raw:
            name = self.plain(f"categories.{entry['id']}.name", entry.get("name"))
            if entry["id"] in SECTION_IDS:
                if entry.get("keywords"):
                    raise self.problem(f"categories.{entry['id']}", "takes its keywords from content/wrap.yml")
                keywords = tuple(match_words(k) for k in wrap.section(entry["id"]).keywords)
            else:
                keywords = self.word_list(f"categories.{entry['id']}.keywords", entry.get("keywords"))
            for keyword in keywords:
                if owner.setdefault(keyword, entry["id"]) != entry["id"]:
                    raise self.problem(
                        f"categories.{entry['id']}.keywords",
                        f"{' '.join(keyword)!r} also names {owner[keyword]}",
                    )
            categories.append(Category(entry["id"], name, keywords))
        return tuple(categories)

    def word_list(self, entry: str, raw: Any) -> tuple[tuple[str, ...], ...]:
        if not isinstance(raw, list) or not raw:
            raise self.problem(entry, "must be a list of words")
        if not all(isinstance(word, str) for word in raw):
            raise self.problem(entry, 'has an entry that is not text (write "yes" and "no" in quotes)')
        words = tuple(match_words(str(word)) for word in raw)
        if not all(words):
            raise self.problem(entry, "has an entry with no letters in it")
        return words

    def texts(self, raw: Any, categories: tuple[Category, ...]) -> dict[str, str]:
        if not isinstance(raw, dict):
            raise self.problem("texts", "must be a mapping of text id to text")
        longest = sorted((c.name for c in categories), key=len)[-3:]
        sample = {
            "coordinator": _LONG_COORDINATOR,
            "categories": join_for_reading(longest),
            "section": max((s.title for s in load_wrap_content().sections), key=len),
            "date": _LONG_DATE,
        }
        texts = {}
        for text_id in REQUIRED_TEXTS:
            entry = f"texts.{text_id}"
            text = self.plain(entry, raw.get(text_id))
            try:
                used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
            except ValueError as error:
                raise self.problem(entry, f"has a broken {{placeholder}} ({error})") from None
            if used - PLACEHOLDERS:
                raise self.problem(entry, f"has unknown placeholder {{{sorted(used - PLACEHOLDERS)[0]}}}")
            if REQUIRED_TEXTS[text_id] - used:
                raise self.problem(entry, f"must contain {{{sorted(REQUIRED_TEXTS[text_id] - used)[0]}}}")
            if gsm7_length(text.format(**sample)) > MAX_MESSAGE_CHARS:
                raise self.problem(entry, f"is longer than {MAX_MESSAGE_CHARS} characters (SMS) when filled in")
            texts[text_id] = text
        unknown = sorted(set(raw) - set(REQUIRED_TEXTS))
        if unknown:
            raise self.problem(f"texts.{unknown[0]}", "is not used by Alongside (a typo?)")
        return texts
