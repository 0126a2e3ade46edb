"""The readable copy of everything held about a person (issue 22.10): plain English by section,
other people by name (the coordinator by the name they chose, a carer by the word the person
used), times as UK dates, and no codes or field names; the JSON beside it still has it all."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone
from html.parser import HTMLParser

import pytest

from bot.common.readability import check_text
from bot.services.carers import carers
from bot.services.people.lookup import identity_for_address
from bot.services.privacy.personal_data import as_json, collect
from bot.services.privacy.personal_data_export import (
    READ_BY_SECTIONS,
    is_machine_field,
    personal_data_content,
    personal_data_html,
    readable_sections,
)
from bot.services.recovery import checkins, goals, meaning
from bot.services.wrap.content import load_wrap_content
from bot.store.all_models import all_metadata
from bot.store.db import unit_of_work
from tests.support.coordinators import enrol, make_coordinator, save_plan, share

pytestmark = pytest.mark.usefixtures("migrated_database")

MADE_AT = datetime(2026, 12, 4, 15, 5, tzinfo=timezone.utc)  # GMT in December: 3:05pm in the UK
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
UK_TIME = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) "
    r"\d{4}, \d{1,2}:\d{2}(am|pm)\b"
)
# Column names as the database spells them, which a person should never have to read.
RAW_FIELD_NAMES = ("address_hash", "person_id", "coordinator_id", "carer_person_id", "created_at", "section_id")


class _Text(HTMLParser):
    """What a reader sees: the page's text, without tags, styles or attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs) -> None:
        self._in_style = tag == "style"

    def handle_endtag(self, tag) -> None:
        self._in_style = False

    def handle_data(self, data) -> None:
        if not self._in_style:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def a_person_with_a_coordinator_a_carer_and_a_plan(marker: str) -> dict[str, str]:
    username, coordinator_id = make_coordinator(name="Priya")
    with unit_of_work() as session:
        person_id = identity_for_address(session, "sms", f"readable-{uuid.uuid4()}").person_id
    enrol(username, person_id, label="J. Okafor")
    save_plan(person_id, {"triggers": f"crowds {marker}", "toolbox": "walking the dog"})
    share(person_id, coordinator_id, ["triggers"])
    with unit_of_work() as session:
        made = carers.make_code(session, person_id, "mum")
        carer_identity = identity_for_address(session, "sms", f"readable-carer-{uuid.uuid4()}")
        carer_id = carer_identity.person_id
        assert carers.redeem(session, carer_identity, f"my code is {made.code}").link_id == made.link_id
        carers.set_access(session, person_id, made.link_id, ["crisis_plan"], channel="sms")
        goal = goals.add_goal(session, person_id, "get back to swimming", "sms")
        goals.add_step(session, goal, "find the pool times", "sms")
        meaning.save_meaning(session, person_id, "being able to work again", "sms")
        checkins.set_rhythm(session, person_id, checkins.parse_rhythm("every Monday"))
    return {"person": person_id, "coordinator": coordinator_id, "carer": carer_id}


@pytest.fixture(scope="module")
def people() -> dict[str, str]:
    return a_person_with_a_coordinator_a_carer_and_a_plan(f"heron{uuid.uuid4().hex[:6]}")


def page_for(person_id: str) -> str:
    with unit_of_work() as session:
        return personal_data_html(collect(session, person_id), MADE_AT, json_url="TOKEN/json")


def test_the_page_names_people_and_shows_no_ids_field_names_or_machine_times(people):
    text = visible_text(page_for(people["person"]))
    assert "Priya is your care coordinator" in text
    assert "J. Okafor" in text, "the name on the coordinator's list"
    assert "with Priya" in text, "what is shared, and with whom, by name"
    assert "mum: linked on" in text and "What they can see now: crisis plan" in text
    for person_id in people.values():
        assert person_id not in text
    assert not UUID.search(text), "no ids at all"
    for raw in RAW_FIELD_NAMES:
        assert raw not in text
    assert not re.search(r"\b\w+_(id|hash|at)\b", text), "no column names"
    assert not ISO_TIME.search(text), "no machine times"
    assert UK_TIME.search(text) and "Made on 4 December 2026, 3:05pm" in text


def test_the_plan_is_by_wrap_section_in_the_persons_words(people):
    text = visible_text(page_for(people["person"]))
    wrap = load_wrap_content()
    triggers, toolbox = wrap.section("triggers"), wrap.section("wellness_toolbox")
    assert toolbox.title in text and triggers.title in text
    assert text.index(toolbox.title) < text.index("walking the dog") < text.index(triggers.title)
    assert text.index(triggers.title) < text.index("crowds heron")
    assert wrap.question("triggers").label in text
    for heading in ("about_you", "coordinator", "plan", "sharing", "carers", "recovery", "goals", "checkins"):
        assert personal_data_content()["readable"]["sections"][heading] in text
    assert "get back to swimming" in text and "Step: find the pool times" in text
    assert "being able to work again" in text
    assert "You asked for a check-in every Monday at 10am." in text


def test_the_json_is_linked_from_the_page_and_still_has_the_ids(people):
    html = page_for(people["person"])
    assert 'href="TOKEN/json"' in html
    assert personal_data_content()["readable"]["json_link"] in visible_text(html)
    with unit_of_work() as session:
        document = json.loads(as_json(collect(session, people["person"]), MADE_AT))
    assert document["person_id"] == people["person"]
    assert document["names"][people["coordinator"]] == "Priya"
    assert {"people", "channel_identities", "wrap_items", "carer_links"} <= set(document["records"])


def test_a_carer_sees_who_shares_with_them_by_the_word_used_for_them(people):
    text = visible_text(page_for(people["carer"]))
    assert "They call you mum" in text
    assert "the person you support said yes to sharing their crisis plan with you" in text
    assert not UUID.search(text) and not ISO_TIME.search(text)
    assert "crowds heron" not in text, "the person's plan is not in the carer's copy"


def test_peoples_words_are_escaped_not_run():
    person = a_person_with_a_coordinator_a_carer_and_a_plan('<script>alert("x")</script>')
    html = page_for(person["person"])
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_every_kind_of_record_about_a_person_has_words_on_the_page():
    """A new table that points at a person is in the JSON at once (personal_data.collect); the
    readable page shows it under "Other things we keep", so it needs a heading and labels."""
    words = personal_data_content()["readable"]
    about_people = {
        table.name
        for table in all_metadata().sorted_tables
        if any(key.column.table.name == "people" for column in table.columns for key in column.foreign_keys)
    }
    for table in sorted(about_people - READ_BY_SECTIONS):
        assert table in words["other"], f"content/personal_data.yml readable.other: no heading for {table}"
        for column in all_metadata().tables[table].columns:
            if not is_machine_field(column.name):
                assert column.name in words["fields"], f"readable.fields: no label for {table}.{column.name}"


def test_the_words_are_plain_english():
    def texts(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for each in value.values():
                yield from texts(each)

    for text in texts(personal_data_content()["readable"]):
        plain = re.sub(r"\{\w+\}", "it", " ".join(text.split()))
        if len(plain.split()) >= 8:  # the grade means little for a label of a few words
            assert check_text(plain) <= 7.0, text


def test_sections_come_in_order_and_empty_ones_say_so(people):
    sections = readable_sections_for(people["carer"])
    ids = [section.id for section in sections]
    assert ids[:3] == ["about_you", "coordinator", "plan"]
    assert "staff" not in ids, "only a coordinator has a staff account"
    html = page_for(people["carer"])
    assert personal_data_content()["readable"]["nothing"] in visible_text(html)


def readable_sections_for(person_id: str):
    with unit_of_work() as session:
        return readable_sections(collect(session, person_id))
