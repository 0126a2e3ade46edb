"""The WRAP content: every section and question is there, and bad edits are named precisely."""

from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.common.sms_text import GSM7_BASIC, GSM7_EXTENSION, first_non_gsm7, gsm7_length
from bot.services.guided.list_answers import split_items
from bot.services.wrap import content as wrap_content
from bot.services.wrap.content import (
    MAX_LABEL_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_PROMPT_CHARS,
    REQUIRED_TEXTS,
    SECTION_IDS,
    WRAP_CONTENT_PATH,
    clear_wrap_content_cache,
    load_wrap_content,
    match_words,
)

EXPECTED_QUESTIONS = {
    "wellness_toolbox": ["toolbox"],
    "daily_maintenance": ["when_well", "daily_must_do", "daily_might_do", "reminders"],
    "triggers": ["triggers", "trigger_must_do", "trigger_might_do"],
    "early_warning_signs": ["warning_signs", "warning_must_do", "warning_might_do"],
    "breaking_down": ["breaking_down_signs", "breaking_down_must_do", "breaking_down_might_do"],
    "crisis_plan": [
        "crisis_when_well",  # part 1
        "takeover_signs",  # 2
        "supporters",
        "people_not_involved",  # 3
        "crisis_contacts",
        "carer_involvement",  # NICE QS14
        "medicines_now",
        "allergies",
        "medicines_prefer",
        "medicines_accept",
        "medicines_refuse",  # 4
        "treatments_accept",
        "treatments_refuse",  # 5
        "care_preferences",  # 6
        "hospitals_prefer",
        "hospitals_avoid",  # 7
        "help_wanted",
        "help_not_wanted",
        "practical_needs",  # 8
        "stop_using_signs",  # 9
    ],
    "post_crisis": ["recovery_helps", "recovery_support", "recovery_avoid", "plan_changes"],
}


@pytest.fixture(scope="module")
def content() -> wrap_content.WrapContent:
    return load_wrap_content()


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(WRAP_CONTENT_PATH.read_text(encoding="utf-8"))


def person_facing_texts(content: wrap_content.WrapContent) -> list[str]:
    texts = list(content.texts.values())
    for section in content.sections:
        texts += [section.title, section.explanation]
        for question in section.questions:
            texts += [question.label, question.prompt, question.example]
    return texts


# -- the real file -------------------------------------------------------------------------


def test_every_section_is_present_in_order_with_its_questions(content) -> None:
    assert tuple(section.id for section in content.sections) == SECTION_IDS
    assert {s.id: list(s.question_ids) for s in content.sections} == EXPECTED_QUESTIONS


def test_crisis_plan_has_all_nine_parts_in_order(content) -> None:
    crisis = content.section("crisis_plan")
    parts = [question.part for question in crisis.questions if question.part is not None]
    assert parts == sorted(parts)
    assert set(parts) == set(range(1, 10))
    extras = [question.id for question in crisis.questions if question.part is None]
    assert extras == ["crisis_contacts", "carer_involvement"]
    assert all(content.question(qid).basis == "NICE QS14" for qid in extras)
    assert content.question("practical_needs").part == 8
    assert content.question("crisis_when_well").same_as == "when_well"


def test_action_plans_have_must_and_might_items(content) -> None:
    for section_id, trigger_kind in [
        ("triggers", "trigger"),
        ("early_warning_signs", "early_warning_sign"),
        ("breaking_down", "breaking_down_sign"),
    ]:
        kinds = [question.item_kind for question in content.section(section_id).questions]
        assert kinds == [trigger_kind, "must_do", "might_do"]
    daily = [question.item_kind for question in content.section("daily_maintenance").questions]
    assert daily == ["well_trait", "must_do", "might_do", "reminder"]


def test_source_version_and_trademark_are_recorded(content) -> None:
    assert "Mary Ellen Copeland" in content.source
    assert "Advocates for Human Potential" in content.source
    assert "QS14" in content.source
    assert content.version
    comments = [line for line in WRAP_CONTENT_PATH.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any("registered trademark of Advocates for Human Potential" in line for line in comments)
    assert "your wellness and recovery plan (WRAP)" in content.texts["intro"]


def test_every_message_fits_plain_sms(content) -> None:
    for question in content.questions:
        assert len(question.prompt) <= MAX_PROMPT_CHARS, question.id
        assert gsm7_length(question.message) <= MAX_MESSAGE_CHARS, question.id
        assert question.example.startswith("For example: "), question.id
    for text in person_facing_texts(content):
        assert set(text) <= GSM7_BASIC | GSM7_EXTENSION, text
        assert gsm7_length(text) <= MAX_MESSAGE_CHARS, text


def test_the_tone_is_calm(content) -> None:
    for text in person_facing_texts(content):
        assert "!" not in text, text
        assert "  " not in text, text
    for section in content.sections:
        assert len(section.title) <= 40


def test_list_examples_read_as_lists(content) -> None:
    """An example shows how to answer, so it must split the way it looks."""
    for question in content.questions:
        if not question.is_list:
            continue
        body = question.example.removeprefix("For example: ")
        assert split_items(body) == [part.strip() for part in body.split(",")], question.id


def test_shared_texts_are_all_there_and_fill_in(content) -> None:
    assert set(REQUIRED_TEXTS) <= set(content.texts)
    assert content.text("saved_list", items="walks and music") == "Saved: walks and music."
    assert "Triggers" in content.text("next_section_offer", section="Triggers")
    with pytest.raises(KeyError):
        content.text("saved_list")


# -- lookups ---------------------------------------------------------------------------------


def test_lookups(content) -> None:
    assert wrap_content.section("triggers").title == "Triggers"
    assert wrap_content.next_section_after("wellness_toolbox").id == "daily_maintenance"
    assert wrap_content.next_section_after("crisis_plan").id == "post_crisis"
    assert wrap_content.next_section_after("post_crisis") is None
    assert wrap_content.question("trigger_must_do").section_id == "triggers"
    assert wrap_content.section_for_question("allergies").id == "crisis_plan"
    assert wrap_content.next_question_after("triggers").id == "trigger_must_do"
    assert wrap_content.next_question_after("trigger_might_do") is None
    assert content.question("plan_changes").kind == "text"
    with pytest.raises(KeyError, match="no_such_section"):
        wrap_content.section("no_such_section")
    with pytest.raises(KeyError, match="no_such_question"):
        wrap_content.question("no_such_question")


def test_every_question_has_a_short_label_for_the_plan(content) -> None:
    for question in content.questions:
        assert question.label, question.id
        assert len(question.label) <= MAX_LABEL_CHARS, question.id
    assert content.question("toolbox").label == "What helps me stay well"
    assert content.question("triggers").label == "My triggers"
    assert content.question("trigger_must_do").label == "Things I must do when a trigger happens"


def test_every_section_has_keywords_and_none_is_shared(content) -> None:
    owners: dict[tuple[str, ...], str] = {}
    for section in content.sections:
        assert section.keywords, section.id
        for keyword in section.keywords:
            assert owners.setdefault(match_words(keyword), section.id) == section.id, keyword
    assert "triggers" in content.section("triggers").keywords


def test_match_words_folds_case_and_apostrophes() -> None:
    assert match_words("When I'm WELL, post-crisis") == ("when", "im", "well", "post", "crisis")
    assert match_words("when I\u2019m well") == ("when", "im", "well")
    assert match_words(" ,. ") == ()


def test_question_ids_are_unique_across_sections(content) -> None:
    ids = [question.id for question in content.questions]
    assert len(ids) == len(set(ids))


def test_loading_is_cached_per_file(tmp_path: Path, raw: dict) -> None:
    assert load_wrap_content() is load_wrap_content()
    assert load_wrap_content(WRAP_CONTENT_PATH) is load_wrap_content()
    copy_path = tmp_path / "wrap.yml"
    copy_path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert load_wrap_content(copy_path) is load_wrap_content(str(copy_path))
    assert load_wrap_content(copy_path).sections == load_wrap_content().sections


def test_dataclasses_are_frozen(content) -> None:
    with pytest.raises(AttributeError):
        content.question("toolbox").prompt = "changed"  # type: ignore[misc]


# -- validation: each bad edit is named by file, entry and problem ----------------------------


def write(path: Path, data) -> Path:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    clear_wrap_content_cache()
    return path


def find_question(data: dict, question_id: str) -> dict:
    for section in data["sections"]:
        for question in section["questions"]:
            if question["id"] == question_id:
                return question
    raise LookupError(question_id)


def break_question(question_id: str, **changes):
    def edit(data: dict) -> None:
        question = find_question(data, question_id)
        for key, value in changes.items():
            if value is ...:
                question.pop(key, None)
            else:
                question[key] = value

    return edit


def duplicate_question(data: dict) -> None:
    data["sections"][2]["questions"].append(copy.deepcopy(find_question(data, "toolbox")))


def duplicate_section(data: dict) -> None:
    data["sections"].insert(1, copy.deepcopy(data["sections"][0]))


def drop_section(data: dict) -> None:
    data["sections"] = [s for s in data["sections"] if s["id"] != "breaking_down"]


def swap_sections(data: dict) -> None:
    data["sections"][2], data["sections"][3] = data["sections"][3], data["sections"][2]


def unknown_section(data: dict) -> None:
    data["sections"].append({**copy.deepcopy(data["sections"][0]), "id": "hobbies"})


def drop_crisis_part(data: dict) -> None:
    crisis = next(s for s in data["sections"] if s["id"] == "crisis_plan")
    crisis["questions"] = [q for q in crisis["questions"] if q.get("part") != 6]


def disorder_crisis_parts(data: dict) -> None:
    find_question(data, "stop_using_signs")["part"] = 2


def set_text(text_id: str, value):
    def edit(data: dict) -> None:
        if value is ...:
            del data["texts"][text_id]
        else:
            data["texts"][text_id] = value

    return edit


def set_section_field(section_id: str, field: str, value):
    def edit(data: dict) -> None:
        section = next(s for s in data["sections"] if s["id"] == section_id)
        if value is ...:
            del section[field]
        else:
            section[field] = value

    return edit


BAD_EDITS = [
    # (edit, the entry named, words of the problem)
    (break_question("triggers", kind="bullets"), "triggers.triggers.kind", "unknown kind 'bullets'"),
    (break_question("triggers", prompt=...), "triggers.triggers.prompt", "missing or empty"),
    (break_question("triggers", prompt="   "), "triggers.triggers.prompt", "missing or empty"),
    (break_question("toolbox", example=...), "wellness_toolbox.toolbox.example", "missing or empty"),
    (duplicate_question, "triggers.toolbox", "duplicate question id"),
    (duplicate_section, "wellness_toolbox", "duplicate section id"),
    (break_question("allergies", prompt="x" * 301), "crisis_plan.allergies.prompt", "301 characters; the limit is 300"),
    (
        break_question(
            "allergies", prompt="Are you allergic to anything? " + "x" * 240, example="For example: " + "y" * 60
        ),
        "crisis_plan.allergies.example",
        "prompt and example together",
    ),
    (
        break_question("toolbox", prompt="What’s helpful?"),
        "wellness_toolbox.toolbox.prompt",
        "'’' (U+2019) at character 5, which is not GSM-7",
    ),
    (break_question("toolbox", example="For example: a walk 🚶"), "wellness_toolbox.toolbox.example", "U+1F6B6"),
    (break_question("toolbox", prompt="What helps — most?"), "wellness_toolbox.toolbox.prompt", "U+2014"),
    (break_question("triggers", item_kind="worry"), "triggers.triggers.item_kind", "unknown item kind 'worry'"),
    (break_question("triggers", item_kind=...), "triggers.triggers.item_kind", "unknown item kind None"),
    (break_question("plan_changes", item_kind="tool"), "post_crisis.plan_changes.item_kind", "only list questions"),
    (break_question("toolbox", promt="typo"), "wellness_toolbox.toolbox", "unknown field 'promt'"),
    (break_question("toolbox", id="Tool Box"), "wellness_toolbox.questions[0]", "snake_case"),
    (break_question("toolbox", id=...), "wellness_toolbox.questions[0]", "needs an 'id'"),
    (break_question("toolbox", part=1), "wellness_toolbox.toolbox.part", "only crisis plan"),
    (break_question("allergies", part=12), "crisis_plan.allergies.part", "1 to 9"),
    (
        break_question("crisis_contacts", basis=...),
        "crisis_plan.crisis_contacts",
        "needs a 'part' (1 to 9) or a 'basis'",
    ),
    (break_question("crisis_when_well", same_as="nobody"), "crisis_plan.crisis_when_well.same_as", "earlier question"),
    (
        break_question("crisis_when_well", same_as="plan_changes"),
        "crisis_plan.crisis_when_well.same_as",
        "earlier question",
    ),
    (drop_crisis_part, "crisis_plan", "no question for part 6"),
    (disorder_crisis_parts, "crisis_plan.stop_using_signs", "part 2 comes after part 8"),
    (drop_section, "breaking_down", "section is missing"),
    (swap_sections, "sections", "must be in this order"),
    (unknown_section, "hobbies", "unknown section id"),
    (set_section_field("triggers", "title", "T" * 41), "triggers.title", "41 characters"),
    (set_section_field("triggers", "explanation", ...), "triggers.explanation", "missing"),
    (set_section_field("triggers", "questions", []), "triggers", "needs a list of questions"),
    (set_text("saved_list", "Saved."), "texts.saved_list", "must contain {items}"),
    (set_text("saved_list", "Saved: {itemz}."), "texts.saved_list", "unknown placeholder {itemz}"),
    (set_text("saved_list", "Saved: {items."), "texts.saved_list", "broken {placeholder}"),
    (set_text("later", ...), "texts.later", "is missing"),
    (set_text("later", "OK. “Later” it is."), "texts.later", "U+201C"),
    (set_text("intro", "word " * 70), "texts.intro", "the limit is 320"),
    (set_text("export_made_on", "Made today."), "texts.export_made_on", "must contain {date}"),
    (set_text("not_filled_in", ...), "texts.not_filled_in", "is missing"),
    (break_question("triggers", label=...), "triggers.triggers.label", "missing or empty"),
    (break_question("triggers", label="L" * 61), "triggers.triggers.label", "61 characters"),
    (break_question("triggers", label="My “triggers”"), "triggers.triggers.label", "U+201C"),
    (set_section_field("triggers", "keywords", ...), "triggers.keywords", "needs a list of keywords"),
    (set_section_field("triggers", "keywords", []), "triggers.keywords", "needs a list of keywords"),
    (
        set_section_field("triggers", "keywords", ["triggers", " ?! "]),
        "triggers.keywords",
        "keyword ' ?! ' has no words",
    ),
    (
        set_section_field("triggers", "keywords", ["triggers", "Tool Box"]),
        "triggers.keywords",
        "keyword 'Tool Box' is already used by section 'wellness_toolbox'",
    ),
]


@pytest.mark.parametrize(("edit", "entry", "problem"), BAD_EDITS)
def test_bad_edits_are_named_precisely(tmp_path: Path, raw: dict, edit, entry: str, problem: str) -> None:
    data = copy.deepcopy(raw)
    edit(data)
    path = write(tmp_path / "wrap.yml", data)
    with pytest.raises(ValueError) as caught:
        load_wrap_content(path)
    message = str(caught.value)
    assert message.startswith(f"{path.resolve()}: {entry}: "), message
    assert problem in message, message


@pytest.mark.parametrize(
    ("text", "entry", "problem"),
    [
        ("- just\n- a list\n", "file", "must be a mapping"),
        ("version: 1\ntexts: {}\nsections: []\n", "source", "missing or empty"),
    ],
)
def test_bad_files_are_named(tmp_path: Path, text: str, entry: str, problem: str) -> None:
    path = tmp_path / "wrap.yml"
    path.write_text(text, encoding="utf-8")
    clear_wrap_content_cache()
    with pytest.raises(ValueError, match=re.escape(f"{path.resolve()}: {entry}: ")) as caught:
        load_wrap_content(path)
    assert problem in str(caught.value)


def test_missing_version_is_named(tmp_path: Path, raw: dict) -> None:
    data = copy.deepcopy(raw)
    del data["version"]
    path = write(tmp_path / "wrap.yml", data)
    with pytest.raises(ValueError, match=r": version: is missing"):
        load_wrap_content(path)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_gsm7_check_finds_the_first_character_sms_cannot_carry(text: str) -> None:
    found = first_non_gsm7(text)
    outside = [i for i, char in enumerate(text) if char not in GSM7_BASIC | GSM7_EXTENSION]
    assert found == ((outside[0], text[outside[0]]) if outside else None)
    assert gsm7_length(text) == len(text) + sum(char in GSM7_EXTENSION for char in text)


@settings(max_examples=60, deadline=None)
@given(st.characters(blacklist_categories=("Cs",)))
def test_a_prompt_loads_exactly_when_every_character_is_gsm7(char: str) -> None:
    raw = yaml.safe_load(WRAP_CONTENT_PATH.read_text(encoding="utf-8"))
    find_question(raw, "toolbox")["prompt"] = f"What helps {char} you?"
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "wrap.yml", raw)
        if char in GSM7_BASIC or char in GSM7_EXTENSION:
            load_wrap_content(path)
        else:
            with pytest.raises(ValueError, match="not GSM-7"):
                load_wrap_content(path)
    clear_wrap_content_cache()
