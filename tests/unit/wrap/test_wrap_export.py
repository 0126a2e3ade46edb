"""Taking the plan away: SMS pages, the printable page and the data export."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.common.sms_text import GSM7_BASIC, GSM7_EXTENSION, gsm7_length
from bot.services.people.lookup import person_for_address
from bot.services.wrap import plan as wrap
from bot.services.wrap.content import load_wrap_content
from bot.services.wrap.export import (
    MIN_PAGE_CHARS,
    plan_html,
    plan_json,
    plan_pages,
    sms_safe,
)
from bot.store.db import unit_of_work
from bot.store.models import WrapItem

GENERATED_AT = datetime(2026, 3, 7, 14, 5, tzinfo=timezone.utc)
CONTENT = load_wrap_content()
QUESTION_IDS = [question.id for question in CONTENT.questions]
CONTENT_ORDER = {question_id: index for index, question_id in enumerate(QUESTION_IDS)}


@pytest.fixture
def plan_items(migrated_database):
    """Save answers for a fresh person, then give a function that reads their items back."""
    with unit_of_work() as session:
        person_id = person_for_address(session, "test", str(uuid4())).id

    def answer(question_id: str, text: str) -> None:
        with unit_of_work() as session:
            wrap.save_answer(session, wrap.plan_for(session, person_id), question_id, text, "sms")

    def items(*, with_history: bool = False) -> list[WrapItem]:
        with unit_of_work() as session:
            plan = wrap.plan_for(session, person_id)
            return wrap.history(session, plan) if with_history else wrap.current_items(session, plan)

    def undo() -> None:
        with unit_of_work() as session:
            wrap.undo_last_answer(session, wrap.plan_for(session, person_id))

    items.answer, items.undo = answer, undo  # type: ignore[attr-defined]
    return items


def item(question_id: str, text: str) -> WrapItem:
    """An item not saved anywhere: the exports only read what they are given."""
    question = CONTENT.question(question_id)
    return WrapItem(id=str(uuid4()), section_id=question.section_id, question_id=question_id, text=text)


def is_gsm7(text: str) -> bool:
    return set(text) <= GSM7_BASIC | GSM7_EXTENSION


# -- SMS pages --------------------------------------------------------------------------------


def test_an_empty_plan_has_no_pages():
    assert plan_pages([]) == []


def test_pages_show_section_title_label_and_items(plan_items):
    plan_items.answer("trigger_must_do", "go somewhere quiet")
    plan_items.answer("toolbox", "a walk, a bath")
    plan_items.answer("triggers", "crowds, noise")
    assert plan_pages(plan_items()) == [
        "Wellness toolbox\n"
        "What helps me stay well:\n"
        "- a walk\n"
        "- a bath\n"
        "\n"
        "Triggers\n"
        "My triggers:\n"
        "- crowds\n"
        "- noise\n"
        "Things I must do when a trigger happens:\n"
        "- go somewhere quiet"
    ]


def test_a_full_page_starts_a_new_one_that_repeats_its_headings():
    items = [item("triggers", f"trigger number {n} " + "x" * 60) for n in range(1, 6)]
    pages = plan_pages(items, max_chars=MIN_PAGE_CHARS)
    assert len(pages) > 1
    for page in pages:
        assert page.startswith("Triggers\nMy triggers:\n- trigger number ")
        assert gsm7_length(page) <= MIN_PAGE_CHARS


def test_pages_are_plain_sms_without_losing_the_persons_words():
    items = [
        item("toolbox", "ringing my sister \u201cSam\u201d \u2013 she\u2019s great \U0001f60a"),
        item("toolbox", "\U0001f44d\U0001f3fd\u2764\ufe0f"),  # only emoji: nothing to send
        item("toolbox", "caf\u00e9 na r\u00eave\u2026 \u00c9mile"),
    ]
    (page,) = plan_pages(items)
    assert page.splitlines()[2:] == [
        '- ringing my sister "Sam" - she\'s great',
        "- caf\u00e9 na reve... \u00c9mile",
    ]
    assert is_gsm7(page)


def test_words_in_other_alphabets_are_kept_rather_than_lost():
    assert sms_safe("\u0645\u0631\u062d\u0628\u0627 walks") == "\u0645\u0631\u062d\u0628\u0627 walks"


def test_an_item_too_long_for_any_page_is_cut_at_word_breaks():
    long_text = " ".join(f"word{n}" for n in range(120))
    pages = plan_pages([item("plan_changes", long_text)], max_chars=200)
    assert len(pages) > 1
    assert all(gsm7_length(page) <= 200 for page in pages)
    pieces = [page.splitlines()[-1] for page in pages]
    assert pieces[0].startswith("- word0 ")
    assert all(piece.startswith("  ") for piece in pieces[1:])
    assert " ".join(piece[2:] for piece in pieces) == long_text


def test_pages_refuse_a_limit_too_small_for_the_headings():
    with pytest.raises(ValueError):
        plan_pages([item("toolbox", "walks")], max_chars=MIN_PAGE_CHARS - 1)


# Letters, spaces and the punctuation people type, plus characters SMS pages must replace or drop.
_TEXT_CHARS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 ,.'\"!?-&()éÉ")
    + ["\u2019", "\u201c", "\u201d", "\u2013", "\u2026", "\U0001f60a", "\u2764", "\ufe0f"]
)
_ITEM_TEXT = st.text(_TEXT_CHARS, min_size=1, max_size=100).filter(lambda text: sms_safe(text))


@settings(max_examples=200, deadline=None)
@given(
    answers=st.lists(st.tuples(st.sampled_from(QUESTION_IDS), _ITEM_TEXT), max_size=40),
    max_chars=st.integers(min_value=200, max_value=480),
)
def test_every_item_appears_once_in_order_and_no_page_is_too_long(answers, max_chars):
    answers = sorted(answers, key=lambda answer: CONTENT_ORDER[answer[0]])  # as current_items gives
    pages = plan_pages([item(question_id, text) for question_id, text in answers], max_chars)
    assert all(gsm7_length(page) <= max_chars for page in pages)
    assert all(is_gsm7(page) for page in pages)
    item_lines = [line for page in pages for line in page.splitlines() if line.startswith("- ")]
    assert item_lines == [f"- {sms_safe(text)}" for _, text in answers]
    assert (pages == []) == (answers == [])


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=1, max_size=1200), max_chars=st.integers(MIN_PAGE_CHARS, 400))
def test_any_text_at_all_fits_the_pages_and_keeps_its_words(text, max_chars):
    pages = plan_pages([item("carer_involvement", text)], max_chars)
    assert all(gsm7_length(page) <= max_chars for page in pages)
    pieces = [line[2:] for page in pages for line in page.splitlines()[2:]]
    assert " ".join(pieces).split() == sms_safe(text).split()


# -- printable page ---------------------------------------------------------------------------


class _Outline(HTMLParser):
    """The headings, list items and paragraphs of a page, and anything that loads or runs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}
        if tag in {"h1", "h2", "h3", "li", "p"}:
            self._open = tag
            self.found.append((tag, ""))

    def handle_endtag(self, tag):
        if tag == self._open:
            self._open = None

    def handle_data(self, data):
        if self._open:
            tag, text = self.found[-1]
            self.found[-1] = (tag, text + data)


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def test_the_printable_page_escapes_what_the_person_wrote(plan_items):
    plan_items.answer("triggers", "<script>alert('x')</script>, crowds & noise")
    html = plan_html(plan_items(), GENERATED_AT)
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert ("li", "<script>alert('x')</script>") in outline(html).found


def test_the_printable_page_lists_every_section_and_says_which_are_empty(plan_items):
    plan_items.answer("toolbox", "a walk, a bath")
    plan_items.answer("carer_involvement", "Tell my mum,\nbut not about medicines")
    found = outline(plan_html(plan_items(), GENERATED_AT)).found
    assert [text for tag, text in found if tag == "h2"] == [s.title for s in CONTENT.sections]
    assert [text for tag, text in found if tag == "h3"] == [
        "What helps me stay well",
        "How involved I want my family or carers to be",
    ]
    assert [text for tag, text in found if tag == "li"] == ["a walk", "a bath"]
    assert ("p", "Tell my mum,\nbut not about medicines") in found
    not_filled = CONTENT.text("not_filled_in")
    assert sum(text == not_filled for _, text in found) == len(CONTENT.sections) - 2
    assert found[0] == ("h1", CONTENT.text("export_title"))
    assert ("p", CONTENT.text("export_made_on", date="7 March 2026")) in found
    assert ("p", CONTENT.text("not_a_legal_document")) in found


def test_the_printable_page_stands_alone_and_prints(plan_items):
    html = plan_html(plan_items(), GENERATED_AT)
    page = outline(html)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    assert '<meta charset="utf-8">' in html
    assert "@media print" in html
    assert {"script", "link", "img", "iframe", "object"}.isdisjoint(page.tags)
    assert {"src", "href", "onload", "onclick"}.isdisjoint(page.attributes)
    assert not re.search(r"url\(|@import", html)
    assert '<time datetime="2026-03-07T14:05+00:00">' in html
    # An empty plan is still a whole page: every section, each not filled in yet.
    assert sum(text == CONTENT.text("not_filled_in") for _, text in page.found) == 7


# -- data export ------------------------------------------------------------------------------


def test_the_data_export_holds_every_section_question_and_item(plan_items):
    plan_items.answer("toolbox", "a walk, a bath")
    plan_items.answer("plan_changes", "ask for help sooner")
    data = plan_json(plan_items())
    json.dumps(data)  # plain data all the way down
    assert data["format"] == "alongside-wrap-plan"
    assert data["content_version"] == CONTENT.version
    assert [s["id"] for s in data["sections"]] == [s.id for s in CONTENT.sections]
    questions = {q["id"]: q for s in data["sections"] for q in s["questions"]}
    assert list(questions) == QUESTION_IDS
    assert questions["toolbox"]["label"] == "What helps me stay well"
    assert [i["text"] for i in questions["toolbox"]["items"]] == ["a walk", "a bath"]
    assert questions["plan_changes"]["kind"] == "text"
    assert [i["text"] for i in questions["plan_changes"]["items"]] == ["ask for help sooner"]
    assert questions["triggers"]["items"] == []
    first = questions["toolbox"]["items"][0]
    assert first["item_kind"] == "tool" and first["channel"] == "sms"
    assert first["removed_at"] is None
    assert datetime.fromisoformat(first["created_at"]).tzinfo is not None
    assert data["other_items"] == []


def test_the_data_export_can_include_the_history(plan_items):
    plan_items.answer("toolbox", "a walk")
    plan_items.answer("toolbox", "a bath")
    plan_items.undo()
    data = plan_json(plan_items(with_history=True))
    (toolbox,) = data["sections"][0]["questions"]
    assert [(i["text"], i["removed_at"] is None) for i in toolbox["items"]] == [
        ("a walk", True),
        ("a bath", False),
    ]
    assert plan_json(plan_items())["sections"][0]["questions"][0]["items"][0]["text"] == "a walk"


def test_items_for_questions_no_longer_in_the_content_are_still_exported():
    orphan = WrapItem(id=str(uuid4()), section_id="triggers", question_id="retired", text="old words")
    data = plan_json([orphan, item("toolbox", "walks")])
    assert [i["text"] for i in data["other_items"]] == ["old words"]
    assert plan_pages([orphan]) == []
