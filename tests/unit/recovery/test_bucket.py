"""The stress bucket: saved as lists, copied into the WRAP only when asked, and drawn as a
well-formed, accessible SVG that holds the person's words, escaped."""

from __future__ import annotations

from datetime import datetime, timezone
from xml.etree import ElementTree

import pytest
from sqlalchemy import text

from bot.services.recovery import bucket
from bot.services.wrap import plan as wrap
from bot.services.wrap.export import plan_html
from bot.store.db import unit_of_work
from bot.store.models import Person

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def person_id(migrated_database) -> str:
    with unit_of_work() as session:
        person = Person()
        session.add(person)
        session.flush()
        return person.id


def test_each_part_is_saved_as_a_list_without_repeats(person_id):
    with unit_of_work() as session:
        saved = bucket.save_items(session, person_id, "fills", "money worries, poor sleep", "sms")
        assert [item.text for item in saved] == ["money worries", "poor sleep"]
        assert bucket.save_items(session, person_id, "fills", "Money worries", "sms") == []
        bucket.save_items(session, person_id, "overflow", "I stop sleeping", "sms")
    with unit_of_work() as session:
        assert bucket.texts(session, person_id) == {
            "fills": ["money worries", "poor sleep"],
            "overflow": ["I stop sleeping"],
            "lets_out": [],
        }
        raw = (
            session.execute(text("SELECT text FROM bucket_items WHERE person_id = :p"), {"p": person_id})
            .scalars()
            .all()
        )
    assert raw and not any("money" in value for value in raw)  # encrypted at rest


def test_copying_into_the_wrap_puts_each_part_where_it_belongs_once(person_id):
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        wrap.save_answer(session, plan, "toolbox", "a walk", "sms")
        wrap.set_position(session, plan, "triggers")
        bucket.save_items(session, person_id, "fills", "debt", "sms")
        bucket.save_items(session, person_id, "overflow", "I stop sleeping, I snap", "sms")
        bucket.save_items(session, person_id, "lets_out", "a walk, music", "sms")
        added = bucket.copy_to_wrap(session, person_id, "sms")
        assert sorted(item.text for item in added) == ["I snap", "I stop sleeping", "music"]  # "a walk" was there
        assert bucket.not_yet_in_wrap(session, person_id) == []
        assert bucket.copy_to_wrap(session, person_id, "sms") == []  # not twice
        plan = wrap.plan_for(session, person_id)
        assert [i.text for i in wrap.current_items(session, plan, question_id="warning_signs")] == [
            "I stop sleeping",
            "I snap",
        ]
        assert [i.text for i in wrap.current_items(session, plan, question_id="toolbox")] == ["a walk", "music"]
        assert wrap.current_items(session, plan, section_id="triggers") == []  # what fills it is not copied
        assert plan.position_question_id == "triggers"  # where they were in the plan is kept


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_the_picture_is_well_formed_accessible_and_holds_the_words_escaped():
    awkward = 'rent & "bills" <overdue>'
    svg = bucket.picture({"fills": [awkward, "poor sleep"], "overflow": ["I snap"], "lets_out": ["music\x07"]})
    root = parse(svg)  # raises if not well-formed
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "My stress bucket"
    assert awkward in desc.text and "I snap" in desc.text and "music" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    labels = [element.text or "" for element in root.iter(f"{SVG}text")]
    assert any(awkward in label for label in labels)
    assert "What fills my bucket" in labels and "What lets water out" in labels
    assert "&amp;" in svg and "<overdue>" not in svg
    assert root.find(f".//{SVG}script") is None and root.find(f".//{SVG}image") is None


def test_long_lists_are_wrapped_and_cut_so_the_picture_stays_readable():
    many = [f"thing number {n} that fills my bucket a lot" for n in range(30)]
    root = parse(bucket.picture({"fills": many, "overflow": [], "lets_out": []}))
    lines = [element.text for element in root.iter(f"{SVG}text")]
    assert all(len(line or "") <= 30 for line in lines if line and not line.startswith(("What", "How")))
    assert "..." in lines


def test_an_empty_bucket_has_no_picture():
    assert bucket.picture({"fills": [], "overflow": [], "lets_out": []}) is None


def test_the_printable_plan_shows_the_bucket():
    html = plan_html(
        [],
        datetime(2026, 3, 2, tzinfo=timezone.utc),
        bucket={"fills": ["debt & rent"], "overflow": [], "lets_out": ["music"]},
    )
    assert 'role="img"' in html and "debt &amp; rent" in html and "<svg" in html
    assert "What lets water out" in html
    assert "<svg" not in plan_html([], datetime(2026, 3, 2, tzinfo=timezone.utc))
