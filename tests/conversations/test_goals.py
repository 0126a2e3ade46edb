"""Goals, what recovery means to me, and the care coordination tour, as whole conversations
over plain text: each answer saved as it is given, every flow can be left and resumed."""

from __future__ import annotations

from uuid import uuid4

import pytest

from bot.services.information import tour
from bot.services.people.lookup import person_for_address
from bot.services.recovery import goals
from bot.services.recovery import meaning as recovery
from bot.store.db import unit_of_work
from bot.store.models import CaseloadEntry, Person, Role
from bot.store.staff_models import StaffAccount

pytestmark = pytest.mark.slow


def person_id_of(conversation) -> str:
    with unit_of_work() as session:
        return person_for_address(session, conversation.channel, conversation.sender_id).id


def goal_texts(conversation) -> list[tuple[str, list[str]]]:
    person_id = person_id_of(conversation)
    with unit_of_work() as session:
        return [(g.text, [s.text for s in goals.steps_for(session, g)]) for g in goals.active_goals(session, person_id)]


def give_coordinator(conversation, name: str) -> None:
    with unit_of_work() as session:
        person_id = person_for_address(session, conversation.channel, conversation.sender_id).id
        coordinator = Person(role=Role.coordinator)
        session.add(coordinator)
        session.flush()
        session.add(StaffAccount(person_id=coordinator.id, username=f"c-{uuid4()}", display_name=name))
        session.add(CaseloadEntry(coordinator_id=coordinator.id, service_user_id=person_id))


# -- care coordination ---------------------------------------------------------------------------


async def test_the_tour_goes_step_by_step_with_next_and_names_the_coordinator(conversation):
    give_coordinator(conversation, "Sam")
    steps = tour.content().steps
    text = await conversation.say_text("tell me about care coordination")
    assert steps[0].text in text and "Your care coordinator is Sam." in text and '"next"' in text
    text = await conversation.say_text("next")
    assert steps[1].text in text
    for step in steps[2:]:
        text = await conversation.say_text("next")
        assert step.text in text
    assert tour.content().text("end") in text


async def test_the_tour_can_be_stopped(conversation):
    await conversation.say("tell me about care coordination")
    text = await conversation.say_text("stop")
    assert "stopped" in text.lower()


async def test_a_question_about_care_coordination_is_personalised_when_we_know_the_coordinator(conversation):
    give_coordinator(conversation, "Priya")
    text = await conversation.say_text("what does a care coordinator do?")
    assert "care plan" in text and "Your care coordinator is Priya." in text


# -- what recovery means to me --------------------------------------------------------------------


async def test_recovery_meaning_asked_gently_saved_changed_and_shown_with_history(conversation):
    text = await conversation.say_text("I want to say what recovery means to me")
    assert "no right answer" in text and "own words" in text
    text = await conversation.say_text("Being able to work and see my kids")
    assert "Being able to work and see my kids" in text
    text = await conversation.say_text("change what recovery means to me")
    assert "Last time you said" in text
    await conversation.say("having a job I enjoy")
    person_id = person_id_of(conversation)
    with unit_of_work() as session:
        history = [m.text for m in recovery.meaning_history(session, person_id)]
    assert history == ["Being able to work and see my kids", "having a job I enjoy"]
    text = await conversation.say_text("show what recovery means to me")
    assert "having a job I enjoy" in text and "Being able to work and see my kids" in text


async def test_recovery_meaning_given_in_one_message_and_kept_when_asked(conversation):
    text = await conversation.say_text("recovery for me means having hope again")
    assert "having hope again" in text
    await conversation.say("change what recovery means to me")
    text = await conversation.say_text("keep it")
    assert "left it as it was" in text
    person_id = person_id_of(conversation)
    with unit_of_work() as session:
        assert recovery.current_meaning(session, person_id).text == "having hope again"


async def test_recovery_meaning_can_be_left_for_later(conversation):
    await conversation.say("I want to say what recovery means to me")
    text = await conversation.say_text("later")
    assert "come back to it" in text
    person_id = person_id_of(conversation)
    with unit_of_work() as session:
        assert recovery.meaning_history(session, person_id) == []
    assert (await conversation.tracker()).active_loop_name is None


# -- goals ------------------------------------------------------------------------------------------


async def test_a_goal_and_a_small_step_each_saved_as_given(conversation):
    text = await conversation.say_text("I want to set a goal")
    assert "What would you like to work towards?" in text
    text = await conversation.say_text("get back to swimming")
    assert 'Saved your goal: "get back to swimming"' in text and "small next step" in text
    assert goal_texts(conversation) == [("get back to swimming", [])]  # saved before the step
    text = await conversation.say_text("look up the pool times")
    assert "look up the pool times" in text and "check in" in text
    assert goal_texts(conversation) == [("get back to swimming", ["look up the pool times"])]
    text = await conversation.say_text("show my goals")
    assert "1. get back to swimming" in text and "look up the pool times" in text


async def test_stopping_at_the_step_and_carrying_on_later(conversation):
    await conversation.say("set a goal")
    await conversation.say("see my friends more")
    text = await conversation.say_text("later")
    assert "saved" in text
    assert (await conversation.tracker()).active_loop_name is None
    text = await conversation.say_text("set a goal")
    assert "small next step" in text  # where they stopped
    await conversation.say("text Jo this week")
    assert goal_texts(conversation) == [("see my friends more", ["text Jo this week"])]


async def test_skipping_the_step_and_adding_one_later(conversation):
    await conversation.say("set a goal")
    await conversation.say("sleep better")
    text = await conversation.say_text("skip")
    assert "add a step" in text
    await conversation.say("add a step to my goal")
    await conversation.say("no screens after 10pm")
    assert goal_texts(conversation) == [("sleep better", ["no screens after 10pm"])]


async def test_crisis_language_inside_the_goal_form_gets_the_crisis_reply_and_is_not_saved(conversation):
    await conversation.say("set a goal")
    text = await conversation.say_text("I want to kill myself")
    assert "999" in text and "116 123" in text
    assert goal_texts(conversation) == []
    assert (await conversation.tracker()).active_loop_name is None


async def test_crisis_language_inside_the_recovery_form_gets_the_crisis_reply(conversation):
    await conversation.say("I want to say what recovery means to me")
    text = await conversation.say_text("there's no point, I want to end it all")
    assert "999" in text and "116 123" in text
    person_id = person_id_of(conversation)
    with unit_of_work() as session:
        assert recovery.meaning_history(session, person_id) == []


async def test_crisis_contacts_asked_for_mid_goal_then_back_to_the_question(conversation):
    await conversation.say("set a goal")
    text = await conversation.say_text("who can I call")
    assert "116 123" in text and "What would you like to work towards?" in text
    await conversation.say("walk the dog")
    assert goal_texts(conversation) == [("walk the dog", [])]
