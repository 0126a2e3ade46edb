"""The plan as the person takes it away: SMS pages, a printable page and a data export.

Every heading and fixed phrase comes from content/wrap.yml; the person's own words are kept as
they wrote them, except that SMS pages swap characters plain SMS cannot carry (curly quotes,
long dashes, emoji) for plain ones, so a page is not split into many costly UCS-2 parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from bot.common.clock import uk_date
from bot.common.sms_text import plain_sms_text
from bot.common.templates import render
from bot.services.wrap.content import (
    Question,
    Section,
    gsm7_length,
    is_known_question,
    load_wrap_content,
)
from bot.store.models import WrapItem

HTML_TEMPLATE = "wrap_export.html"
EXPORT_FORMAT = "alongside-wrap-plan"
EXPORT_FORMAT_VERSION = 1

# A page must hold a section title and a label (up to about 100 characters) and some words.
MIN_PAGE_CHARS = 160
_ITEM_MARK = "- "
_CONTINUED_MARK = "  "  # the rest of an item too long for one page


# -- SMS pages --------------------------------------------------------------------------------


def plan_pages(items: Iterable[WrapItem], max_chars: int = 320) -> list[str]:
    """The plan as SMS-sized pages: section title, question label, then "- item" lines.

    Items keep their order and are never split across pages unless one alone is too long for
    a page. Each page repeats the headings it needs, so it makes sense on its own.
    """
    if max_chars < MIN_PAGE_CHARS:
        raise ValueError(f"max_chars must be at least {MIN_PAGE_CHARS}, not {max_chars}")
    pager = _Pager(max_chars)
    for section, question, question_items in _grouped(items):
        for item in question_items:
            text = sms_safe(item.text)
            if text:
                pager.add(section, question, text)
    return pager.finish()


def sms_safe(text: str) -> str:
    """Text for a plain (GSM-7) SMS on one line: plain quotes and dashes, no emoji
    (bot/common/sms_text.py). Letters SMS has no plain form for (other alphabets) are kept:
    losing the person's words would be worse than a dearer message.
    """
    return " ".join(plain_sms_text(text).split())


class _Pager:
    """Fills pages line by line, starting a new page (with its headings) when one is full."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.pages: list[str] = []
        self.lines: list[str] = []
        self.section_id: str | None = None
        self.question_id: str | None = None

    def add(self, section: Section, question: Question, text: str) -> None:
        line = f"{_ITEM_MARK}{text}"
        if self.lines and not self.fits(self.headings(section, question) + [line]):
            self.new_page()
        if self.fits(self.headings(section, question) + [line]):
            self.put(section, question, [line])
            return
        self.add_in_pieces(section, question, text)

    def add_in_pieces(self, section: Section, question: Question, text: str) -> None:
        """An item too long for a page of its own: cut at word breaks, one piece a page."""
        mark = _ITEM_MARK
        for piece in _cut(text, self.room_for_item(section, question)):
            if self.lines:
                self.new_page()
            self.put(section, question, [f"{mark}{piece}"])
            mark = _CONTINUED_MARK

    def headings(self, section: Section, question: Question) -> list[str]:
        if section.id != self.section_id:
            gap = [""] if self.lines else []
            return gap + [section.title, _label_line(question)]
        if question.id != self.question_id:
            return [_label_line(question)]
        return []

    def room_for_item(self, section: Section, question: Question) -> int:
        fresh_page = [section.title, _label_line(question), ""]  # "" stands for the item line
        return self.max_chars - gsm7_length("\n".join(fresh_page)) - len(_ITEM_MARK)

    def fits(self, more: list[str]) -> bool:
        return gsm7_length("\n".join(self.lines + more)) <= self.max_chars

    def put(self, section: Section, question: Question, lines: list[str]) -> None:
        self.lines += self.headings(section, question) + lines
        self.section_id, self.question_id = section.id, question.id

    def new_page(self) -> None:
        self.pages.append("\n".join(self.lines))
        self.lines = []
        self.section_id = self.question_id = None

    def finish(self) -> list[str]:
        if self.lines:
            self.new_page()
        return self.pages


def _label_line(question: Question) -> str:
    return f"{question.label}:"


def _cut(text: str, room: int) -> list[str]:
    """Pieces of at most `room` SMS characters, at spaces where possible."""
    pieces: list[str] = []
    current = ""
    for word in text.split(" "):
        while gsm7_length(word) > room:  # a single "word" longer than a page: cut it
            if current:
                pieces.append(current)
                current = ""
            head, word = _split_at_septets(word, room)
            pieces.append(head)
        candidate = f"{current} {word}" if current else word
        if gsm7_length(candidate) <= room:
            current = candidate
        else:
            pieces.append(current)
            current = word
    if current:
        pieces.append(current)
    return pieces


def _split_at_septets(word: str, septets: int) -> tuple[str, str]:
    used = 0
    for index, char in enumerate(word):
        used += gsm7_length(char)
        if used > septets:
            return word[:index], word[index:]
    return word, ""


# -- printable page ---------------------------------------------------------------------------


def plan_html(items: Iterable[WrapItem], generated_at: datetime, bucket: dict[str, list[str]] | None = None) -> str:
    """A standalone, printable page of the whole plan; sections not filled in say so.
    `bucket` (the stress bucket's lists by part, from bot/services/bucket.texts) adds its
    picture and lists after the plan, when there is anything in it."""
    from markupsafe import Markup

    from bot.services.recovery import bucket as stress_bucket

    content = load_wrap_content()
    by_question = _items_by_question(items)
    sections = []
    for section in content.sections:
        questions = [
            _HtmlQuestion(question.label, question.is_list, tuple(item.text for item in found))
            for question in section.questions
            if (found := by_question.get(question.id))
        ]
        sections.append(_HtmlSection(section.id, section.title, tuple(questions)))
    return render(
        HTML_TEMPLATE,
        title=content.text("export_title"),
        made_on=content.text("export_made_on", date=uk_date(generated_at)),
        generated_iso=generated_at.isoformat(timespec="minutes"),
        sections=sections,
        not_filled_in=content.text("not_filled_in"),
        not_a_legal_document=content.text("not_a_legal_document"),
        source=content.source,
        bucket=_bucket_for_page(bucket or {}, stress_bucket, Markup),
    )


def _bucket_for_page(items: dict[str, list[str]], stress_bucket, markup) -> dict | None:
    picture = stress_bucket.picture(items, id_prefix="stress-bucket")
    if picture is None:
        return None
    words = stress_bucket.content()
    return {
        "title": words.text("picture_title"),
        # Built by bot/services/recovery/bucket_svg.py, which escapes every word the person wrote.
        "svg": markup(picture),
        "parts": [(step.label, list(items.get(step.id) or [])) for step in words.steps],
        "nothing": words.text("nothing_yet"),
    }


@dataclass(frozen=True)
class _HtmlQuestion:
    label: str
    is_list: bool
    texts: tuple[str, ...]


@dataclass(frozen=True)
class _HtmlSection:
    id: str
    title: str
    questions: tuple[_HtmlQuestion, ...]


# -- data export ------------------------------------------------------------------------------


def plan_json(items: Iterable[WrapItem]) -> dict:
    """The plan as plain data (JSON-ready), every section and question, for a data export.

    Pass `wrap.history()` to include removed and changed items; nothing given is left out.
    """
    content = load_wrap_content()
    given = list(items)
    by_question = _items_by_question(given)
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "content_version": content.version,
        "sections": [
            {
                "id": section.id,
                "title": section.title,
                "questions": [
                    {
                        "id": question.id,
                        "label": question.label,
                        "kind": question.kind,
                        "items": [_item_json(item) for item in by_question.get(question.id, [])],
                    }
                    for question in section.questions
                ],
            }
            for section in content.sections
        ],
        # Items for questions the content no longer has (a service removed one): still theirs.
        "other_items": [_item_json(item) for item in given if not is_known_question(item.question_id)],
    }


def _item_json(item: WrapItem) -> dict:
    return {
        "id": item.id,
        "section_id": item.section_id,
        "question_id": item.question_id,
        "item_kind": item.item_kind,
        "text": item.text,
        "channel": item.channel,
        "created_at": _iso(item.created_at),
        "removed_at": _iso(item.removed_at),
        "replaces_id": item.replaces_id,
    }


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite gives back naive times; we always store UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()


# -- grouping ---------------------------------------------------------------------------------


def _items_by_question(items: Iterable[WrapItem]) -> dict[str, list[WrapItem]]:
    grouped: dict[str, list[WrapItem]] = {}
    for item in items:
        grouped.setdefault(item.question_id, []).append(item)
    return grouped


def _grouped(items: Iterable[WrapItem]) -> list[tuple[Section, Question, Sequence[WrapItem]]]:
    """(section, question, its items) in content order, only questions that have items."""
    content = load_wrap_content()
    by_question = _items_by_question(items)
    return [
        (section, question, by_question[question.id])
        for section in content.sections
        for question in section.questions
        if question.id in by_question
    ]
