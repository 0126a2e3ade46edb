"""The WRAP service: answers saved as they are given, read back in order, changed with history."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from bot.services.people.lookup import person_for_address
from bot.services.wrap import plan as wrap
from bot.services.wrap.content import SECTION_IDS, load_wrap_content
from bot.store.db import make_engine, unit_of_work
from bot.store.migrate import alembic_config, upgrade_to_head
from bot.store.models import Base, WrapItem, WrapPlan


@pytest.fixture
def person_id(migrated_database) -> str:
    with unit_of_work() as session:
        return person_for_address(session, "test", str(uuid4())).id


def texts(items) -> list[str]:
    return [item.text for item in items]


def save(person_id: str, question_id: str, text: str, channel: str = "sms") -> list[str]:
    """Save one answer in its own unit of work, as one chat turn would."""
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        return texts(wrap.save_answer(session, plan, question_id, text, channel))


def current(person_id: str, **filters) -> list[str]:
    with unit_of_work() as session:
        return texts(wrap.current_items(session, wrap.plan_for(session, person_id), **filters))


# -- the plan and saving ----------------------------------------------------------------------


def test_one_plan_per_person_made_on_first_use(person_id):
    with unit_of_work() as session:
        first = wrap.plan_for(session, person_id)
        assert first.position_question_id is None
    with unit_of_work() as session:
        again = wrap.plan_for(session, person_id)
        plans = session.execute(select(WrapPlan).where(WrapPlan.person_id == person_id)).scalars().all()
    assert again.id == first.id
    assert len(plans) == 1


def test_a_list_answer_is_split_into_items_saved_together(person_id):
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        items = wrap.save_answer(session, plan, "triggers", "crowds, arguments and money worries", "sms")
        assert texts(items) == ["crowds", "arguments", "money worries"]
        assert {item.answer_id for item in items} == {items[0].answer_id}
        assert {(item.section_id, item.question_id, item.item_kind, item.channel) for item in items} == {
            ("triggers", "triggers", "trigger", "sms")
        }
        assert all(item.removed_at is None and item.replaces_id is None for item in items)
        assert plan.position_question_id == "triggers"


def test_a_text_answer_is_one_item_as_written(person_id):
    answer = "Tell my mum what is happening, and my sister,\nbut not about my medicines."
    assert save(person_id, "carer_involvement", f"  {answer}  ", channel="web") == [answer]
    with unit_of_work() as session:
        (item,) = wrap.current_items(session, wrap.plan_for(session, person_id))
        assert (item.item_kind, item.channel, item.section_id) == (None, "web", "crisis_plan")


def test_items_already_in_the_plan_are_not_saved_twice(person_id):
    assert save(person_id, "toolbox", "walks, music") == ["walks", "music"]
    assert save(person_id, "toolbox", "Walks, a BATH, music ") == ["a BATH"]
    assert save(person_id, "toolbox", "WALKS") == []
    # The same words for another question are a different item.
    assert save(person_id, "daily_must_do", "walks") == ["walks"]
    assert current(person_id, question_id="toolbox") == ["walks", "music", "a BATH"]


@pytest.mark.parametrize("empty", ["", "   ", "\n\t"])
def test_an_empty_answer_saves_nothing(person_id, empty):
    assert save(person_id, "toolbox", empty) == []
    assert save(person_id, "plan_changes", empty) == []
    assert current(person_id) == []


def test_an_unknown_question_is_refused(person_id):
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        with pytest.raises(ValueError, match="no_such_question"):
            wrap.save_answer(session, plan, "no_such_question", "walks", "sms")
        with pytest.raises(ValueError):
            wrap.set_position(session, plan, "no_such_question")
        with pytest.raises(ValueError):
            wrap.skip_question(session, plan, "no_such_question")
        with pytest.raises(ValueError):
            wrap.current_items(session, plan, section_id="no_such_section")


def test_each_answer_is_saved_as_it_is_given(person_id):
    """Leaving half way loses nothing: a later turn, which then fails, keeps the earlier answer."""
    save(person_id, "triggers", "crowds and noise")
    with pytest.raises(RuntimeError), unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        wrap.save_answer(session, plan, "trigger_must_do", "go somewhere quiet", "sms")
        raise RuntimeError("the next turn failed")
    assert current(person_id) == ["crowds", "noise"]
    with unit_of_work() as session:
        assert wrap.resume_question_id(session, wrap.plan_for(session, person_id)) == "triggers"


def test_current_items_follow_the_content_order_not_the_order_saved(person_id):
    save(person_id, "recovery_helps", "rest")
    save(person_id, "trigger_might_do", "a bath")
    save(person_id, "triggers", "crowds")
    save(person_id, "toolbox", "walks")
    save(person_id, "triggers", "noise")
    assert current(person_id) == ["walks", "crowds", "noise", "a bath", "rest"]
    assert current(person_id, section_id="triggers") == ["crowds", "noise", "a bath"]
    assert current(person_id, question_id="triggers") == ["crowds", "noise"]
    assert current(person_id, section_id="daily_maintenance") == []


def test_items_are_numbered_in_the_order_saved_across_turns(person_id):
    save(person_id, "toolbox", "walks, music")
    save(person_id, "triggers", "crowds")
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        numbers = [item.number for item in wrap.history(session, plan)]
        assert numbers == [1, 2, 3]
        assert plan.last_item_number == 3


# -- undo, change, remove, find ---------------------------------------------------------------


def test_undo_takes_back_the_whole_last_answer_and_only_that(person_id):
    save(person_id, "triggers", "crowds, noise")
    save(person_id, "triggers", "payday, arguments and late nights")
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        undone = wrap.undo_last_answer(session, plan)
        assert texts(undone) == ["payday", "arguments", "late nights"]
        assert all(item.removed_at is not None for item in undone)
    assert current(person_id) == ["crowds", "noise"]
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        assert texts(wrap.undo_last_answer(session, plan)) == ["crowds", "noise"]
        assert wrap.undo_last_answer(session, plan) == []
        assert len(wrap.history(session, plan)) == 5


def test_undo_skips_an_answer_whose_items_were_all_removed(person_id):
    save(person_id, "toolbox", "walks")
    save(person_id, "toolbox", "music")
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        (music,) = wrap.find_items(session, plan, "music")
        wrap.remove_item(session, plan, music.id)
        assert texts(wrap.undo_last_answer(session, plan)) == ["walks"]


def test_changing_an_item_keeps_its_history(person_id):
    save(person_id, "triggers", "crowds, noise, payday")
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        (noise,) = wrap.find_items(session, plan, "noise")
        changed = wrap.change_item(session, plan, noise.id, "  loud music  ", "web")
        assert (changed.text, changed.replaces_id, changed.channel) == ("loud music", noise.id, "web")
        assert (changed.question_id, changed.item_kind) == ("triggers", "trigger")
        old_id, new_id = noise.id, changed.id
    assert current(person_id) == ["crowds", "loud music", "payday"]  # the change keeps its place
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        everything = wrap.history(session, plan)
        assert texts(everything) == ["crowds", "noise", "loud music", "payday"]
        old = next(item for item in everything if item.id == old_id)
        assert old.removed_at is not None
        assert next(item for item in everything if item.id == new_id).removed_at is None
        with pytest.raises(ValueError):
            wrap.change_item(session, plan, old_id, "silence", "sms")  # already replaced
        with pytest.raises(ValueError):
            wrap.change_item(session, plan, new_id, "   ", "sms")


def test_removing_an_item_keeps_it_in_the_history(person_id):
    save(person_id, "toolbox", "walks, music")
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        (walks,) = wrap.find_items(session, plan, "walks")
        removed = wrap.remove_item(session, plan, walks.id)
        assert removed.removed_at is not None
        with pytest.raises(ValueError):
            wrap.remove_item(session, plan, walks.id)
        with pytest.raises(ValueError):
            wrap.remove_item(session, plan, str(uuid4()))
        assert texts(wrap.history(session, plan)) == ["walks", "music"]
    assert current(person_id) == ["music"]


def test_one_persons_items_cannot_be_changed_through_another_plan(person_id, migrated_database):
    save(person_id, "toolbox", "walks")
    with unit_of_work() as session:
        stranger = person_for_address(session, "test", str(uuid4()))
        stranger_plan = wrap.plan_for(session, stranger.id)
        (walks,) = wrap.current_items(session, wrap.plan_for(session, person_id))
        with pytest.raises(ValueError):
            wrap.remove_item(session, stranger_plan, walks.id)
        with pytest.raises(ValueError):
            wrap.change_item(session, stranger_plan, walks.id, "runs", "sms")
        assert wrap.find_items(session, stranger_plan, "walks") == []
    assert current(person_id) == ["walks"]


def test_find_items_puts_the_closest_match_first(person_id):
    save(person_id, "toolbox", "walks with the dog; walks; a hot bath; ringing my sister")
    save(person_id, "trigger_might_do", "a walk")
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        assert texts(wrap.find_items(session, plan, "Walks")) == ["walks", "walks with the dog", "a walk"]
        assert texts(wrap.find_items(session, plan, "the walk")) == ["a walk", "walks", "walks with the dog"]
        assert texts(wrap.find_items(session, plan, "walks", section_id="triggers")) == ["a walk"]
        assert texts(wrap.find_items(session, plan, "my SISTER")) == ["ringing my sister"]
        assert texts(wrap.find_items(session, plan, "bath hot")) == ["a hot bath"]
        assert wrap.find_items(session, plan, "swimming") == []
        assert wrap.find_items(session, plan, "  ") == []
        assert wrap.find_items(session, plan, "the") == []  # names nothing
        assert wrap.find_items(session, plan, "wa") == []  # too short to stand for "walks"


# -- where the person is ----------------------------------------------------------------------


def test_resume_carries_on_from_the_stored_position_else_the_first_open_question(person_id):
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        assert wrap.resume_question_id(session, plan) == "toolbox"
        wrap.save_answer(session, plan, "toolbox", "walks", "sms")
        assert wrap.resume_question_id(session, plan) == "toolbox"  # still on it
        wrap.set_position(session, plan, "triggers")
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        assert wrap.resume_question_id(session, plan) == "triggers"
        wrap.set_position(session, plan, None)
        assert wrap.resume_question_id(session, plan) == "when_well"
        wrap.skip_question(session, plan, "when_well")
        wrap.skip_question(session, plan, "when_well")  # twice is the same as once
        assert wrap.resume_question_id(session, plan) == "daily_must_do"


def test_resume_is_none_when_every_question_is_answered_or_skipped(person_id):
    questions = load_wrap_content().questions
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        for index, question in enumerate(questions):
            if index % 2:
                wrap.skip_question(session, plan, question.id)
            else:
                wrap.save_answer(session, plan, question.id, "something", "sms")
        wrap.set_position(session, plan, None)
        assert wrap.resume_question_id(session, plan) is None


def test_an_undone_answer_opens_its_question_again(person_id):
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        wrap.save_answer(session, plan, "toolbox", "walks", "sms")
        wrap.undo_last_answer(session, plan)
        wrap.set_position(session, plan, None)
        assert wrap.resume_question_id(session, plan) == "toolbox"


def test_next_question_stays_within_the_section(person_id):
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        assert wrap.next_question_id(session, plan, "triggers") == "trigger_must_do"
        assert wrap.next_question_id(session, plan, "trigger_must_do") == "trigger_might_do"
        assert wrap.next_question_id(session, plan, "trigger_might_do") is None
        assert wrap.next_question_id(session, plan, "toolbox") is None
        with pytest.raises(ValueError):
            wrap.next_question_id(session, plan, "no_such_question")


def test_progress_counts_sections_started_and_finds_the_next(person_id):
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        fresh = wrap.progress(session, plan)
        assert (fresh.started, fresh.total_sections, fresh.next_section_id) == (0, 7, "wellness_toolbox")
        assert fresh.started_section_ids == ()

        wrap.save_answer(session, plan, "crisis_contacts", "my care coordinator", "sms")
        wrap.save_answer(session, plan, "trigger_might_do", "a bath", "sms")
        wrap.skip_question(session, plan, "toolbox")  # the whole (one-question) section
        wrap.skip_question(session, plan, "when_well")  # only part of the section
        now = wrap.progress(session, plan)
        assert now.started_section_ids == ("triggers", "crisis_plan")
        assert now.started == 2
        assert now.next_section_id == "daily_maintenance"

        wrap.undo_last_answer(session, plan)
        assert wrap.progress(session, plan).started_section_ids == ("crisis_plan",)


def test_progress_has_no_next_section_when_all_are_started(person_id):
    content = load_wrap_content()
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        for section in content.sections:
            wrap.save_answer(session, plan, section.questions[-1].id, "something", "sms")
        done = wrap.progress(session, plan)
    assert done.started_section_ids == SECTION_IDS
    assert (done.started, done.next_section_id) == (7, None)


# -- naming a section in words ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "section_id"),
    [
        ("I want to write down my triggers", "triggers"),
        ("triggers", "triggers"),
        ("Things that TRIGGER me", "triggers"),
        ("what sets me off", "triggers"),
        ("my crisis plan", "crisis_plan"),
        ("Crisis plan please", "crisis_plan"),
        ("what should happen if I'm in a crisis", "crisis_plan"),
        ("my medicines", "crisis_plan"),
        ("warning signs", "early_warning_signs"),
        ("early warning signs", "early_warning_signs"),
        ("the signs I'm becoming unwell", "early_warning_signs"),
        ("toolbox", "wellness_toolbox"),
        ("my wellness tool box", "wellness_toolbox"),
        ("what keeps me well", "wellness_toolbox"),
        ("daily plan", "daily_maintenance"),
        ("my daily routine", "daily_maintenance"),
        ("what I'm like when I'm well", "daily_maintenance"),
        ("breaking down", "breaking_down"),
        ("when things are breaking down", "breaking_down"),
        ("when everything is falling apart", "breaking_down"),
        ("after a crisis", "post_crisis"),
        ("what helps after my crisis", "post_crisis"),
        ("post-crisis", "post_crisis"),
        ("getting back on my feet", "post_crisis"),
        ("my triggers and early warning signs", "early_warning_signs"),  # the longest match
    ],
)
def test_a_section_is_found_from_how_people_name_it(text, section_id):
    assert wrap.section_from_text(text) == section_id


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "yes",
        "skip",
        "I feel awful today",
        "what's the weather",
        "crisp packets",
        "daisy",
        "tools",
        "warning",
        "break",
        "afterwards",
    ],
)
def test_unrelated_text_names_no_section(text):
    assert wrap.section_from_text(text) is None


def test_every_section_is_found_by_its_own_title():
    for section in load_wrap_content().sections:
        assert wrap.section_from_text(section.title) == section.id, section.title


# -- the migration ----------------------------------------------------------------------------


def test_migrations_build_a_fresh_database_matching_the_models(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            assert {"people", "wrap_plans", "wrap_items", "wrap_skips"} <= tables
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            assert differences == []
        command.downgrade(alembic_config(url), "0001")
        with engine.connect() as connection:
            assert "wrap_items" not in inspect(connection).get_table_names()
        upgrade_to_head(url)
    finally:
        engine.dispose()


def test_items_go_when_the_person_goes(person_id):
    """Rows are kept while the plan exists; deleting the person (their right to erasure) takes all."""
    from bot.store.models import Person

    save(person_id, "toolbox", "walks, music")
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_id)
        (walks,) = wrap.find_items(session, plan, "walks")
        wrap.change_item(session, plan, walks.id, "runs", "sms")  # an item pointing at another
        plan_id = plan.id
    with unit_of_work() as session:
        session.delete(session.get(Person, person_id))
    with unit_of_work() as session:
        assert session.get(WrapPlan, plan_id) is None
        assert session.execute(select(WrapItem).where(WrapItem.plan_id == plan_id)).all() == []


def offered(person_id: str, question_id: str) -> list[str]:
    with unit_of_work() as session:
        return wrap.answer_to_offer(session, wrap.plan_for(session, person_id), question_id)


def test_what_you_are_like_when_well_is_offered_again_whichever_plan_comes_first(person_id):
    """The daily plan and the crisis plan both ask it: asked once, then offered to reuse."""
    assert offered(person_id, "when_well") == [] and offered(person_id, "crisis_when_well") == []
    save(person_id, "crisis_when_well", "calm, funny")
    assert offered(person_id, "when_well") == ["calm", "funny"]  # the crisis plan came first
    assert offered(person_id, "crisis_when_well") == []  # answered: nothing to offer
    save(person_id, "when_well", "calm")
    assert offered(person_id, "when_well") == []
    assert offered(person_id, "triggers") == []  # a question with no twin offers nothing


def test_the_daily_plan_answer_is_offered_in_the_crisis_plan(person_id):
    save(person_id, "when_well", "chatty, up early")
    assert offered(person_id, "crisis_when_well") == ["chatty", "up early"]
