"""Whole conversations about how people feel (issue 18.1), on web chat and SMS, with the real
trained model, actions and database: heard, then something of the person's own (their WRAP),
or the part of the plan that fits; carers get their own version; inside a question a feeling
is acknowledged and never saved as the answer (issue 22.2); "stop" inside a sentence is not a
command (issue 18.3); not understood gets "did you mean...?" and then an honest second stage
(issue 18.2)."""

from __future__ import annotations

import uuid

import pytest

from bot.services.feelings.content import load_feelings_content
from bot.services.people.lookup import person_for_address
from bot.services.recovery import goals
from bot.services.wrap import plan as wrap
from bot.services.wrap.content import load_wrap_content
from bot.store.db import unit_of_work
from tests.support.in_process import Conversation
from tests.support.plan import saved_items

pytestmark = pytest.mark.slow

TOPICS = load_feelings_content().topics
CRISIS_HINT = 'say "crisis"'

# (a message as people write it, not a training line; the topic that answers it)
SAID = [
    ("feeling really low today tbh", "low_mood"),
    ("just had a massive panic attack", "anxiety"),
    ("cant sleep again, its 3am", "sleep"),
    ("i feel so alone all the time", "loneliness"),
    ("im absolutely fuming", "anger"),
    ("the team never called me back", "let_down"),
    ("i stopped taking my meds", "medication"),
    ("the voices are really loud tonight", "unusual"),
    ("i think im getting ill again", "unwell_again"),
    ("i got the job!!", "good_news"),
    ("i cant pay my rent this month", "money"),
    ("can you remind me to take my pills", "reminder"),
]


@pytest.fixture(params=["webchat", "sms"])
def person(agent, request) -> Conversation:
    return Conversation(agent, sender_id=f"{request.param}-{uuid.uuid4()}", channel=request.param)


def give_plan(conversation: Conversation, question_id: str, *items: str) -> None:
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_for_address(session, conversation.channel, conversation.sender_id).id)
        for item in items:
            wrap.save_answer(session, plan, question_id, item, conversation.channel)
        wrap.set_position(session, plan, None)


def prompt_of(question_id: str) -> str:
    return load_wrap_content().question(question_id).prompt


@pytest.mark.parametrize(("message", "topic"), SAID)
async def test_each_feeling_is_heard_with_one_next_step_and_crisis_one_word_away(person, message, topic):
    text = await person.say_text(message)
    assert TOPICS[topic].heard in text
    assert CRISIS_HINT in text
    assert "OK, I've stopped" not in text and "didn't understand" not in text


async def test_with_a_wrap_their_own_tool_is_offered_and_yes_is_encouraged(person):
    give_plan(person, "toolbox", "walking the dog")
    text = await person.say_text("feeling really low today tbh")
    assert 'In your plan you wrote "walking the dog"' in text and "Would that help now?" in text
    assert "Go gently" in await person.say_text("yes")


async def test_without_a_wrap_yes_starts_the_part_that_fits_and_the_answer_is_saved(person):
    text = await person.say_text("feeling really low today tbh")
    assert "start your wellness toolbox" in text
    text = await person.say_text("yes")
    assert prompt_of("toolbox") in text
    await person.say("a bath, ringing my sister")
    assert saved_items(person, "toolbox") == ["a bath", "ringing my sister"]


async def test_let_down_names_their_care_coordinator_when_there_is_one(person):
    from tests.support.coordinators import enrol, make_coordinator

    with unit_of_work() as session:
        person_id = person_for_address(session, person.channel, person.sender_id).id
    username, _ = make_coordinator("Priya")
    enrol(username, person_id)
    text = await person.say_text("the team never called me back")
    assert "I'm sorry" in text and "pass a message to Priya, your care coordinator" in text and "PALS" in text


async def test_no_to_starting_the_plan_leaves_it_for_later(person):
    await person.say("im absolutely fuming")
    text = await person.say_text("no")
    assert "make my plan" in text
    assert saved_items(person) == []


async def test_after_the_offer_the_feeling_can_be_noted_as_a_check_in_if_they_want(person):
    from bot.services.recovery import checkins

    await person.say("just had a massive panic attack")
    text = await person.say_text("no")
    assert '"better", "same" or "worse"' in text
    await person.say("worse")
    with unit_of_work() as session:
        found = person_for_address(session, person.channel, person.sender_id)
        assert [c.rating for c in checkins.history(session, found.id)] == ["worse"]


async def test_getting_unwell_again_reads_back_what_they_said_they_would_do(person):
    give_plan(person, "warning_must_do", "ring my care coordinator")
    text = await person.say_text("i think im getting ill again")
    assert '"ring my care coordinator"' in text


async def test_unusual_experiences_offer_their_early_warning_signs_and_hearing_voices_groups(person):
    text = await person.say_text("the voices are really loud tonight")
    assert "hearing-voices.org" in text and "early warning signs" in text
    assert prompt_of("warning_signs") in await person.say_text("yes")


async def test_panic_gets_the_nhs_breathing_exercise_step_by_step(person):
    await person.say("just had a massive panic attack")
    replies = await person.say("yes")
    texts = [reply.text for reply in replies]
    assert texts[0].startswith("Step 1") and any(t.startswith("Step 4") for t in texts)
    assert all(len(t) <= 320 for t in texts)


async def test_good_news_is_celebrated_and_what_helped_can_go_in_the_toolbox(person):
    text = await person.say_text("i got the job!!")
    assert "brilliant" in text and "wellness toolbox" in text
    assert prompt_of("toolbox") in await person.say_text("yes")


async def test_a_yes_long_after_a_feeling_starts_nothing(person):
    await person.say("i cant pay my rent this month")  # a next step, nothing to say yes to
    text = await person.say_text("yes")
    assert "What would you like to do?" in text
    assert saved_items(person) == []


@pytest.fixture(params=["webchat", "sms"])
async def carer(agent, request) -> Conversation:
    conversation = Conversation(agent, sender_id=f"{request.param}-carer-{uuid.uuid4()}", channel=request.param)
    await conversation.say("I'm a carer")
    return conversation


async def test_a_carer_under_strain_gets_carer_support_not_the_persons_plan(carer):
    text = await carer.say_text("caring for my husband is wearing me down")
    assert TOPICS["carer_stress"].heard in text and "support for carers" in text


async def test_a_carer_who_feels_nobody_listens_can_leave_a_message_for_the_team(carer):
    text = await carer.say_text("nobody at the team listens to me")
    assert TOPICS["carer_not_listened"].heard in text and "leave a message" in text


async def test_a_carer_worried_about_voices_is_pointed_to_the_team_and_their_own_support(carer):
    text = await carer.say_text("she keeps saying she hears voices")
    assert "care team" in text and CRISIS_HINT in text
    assert "your plan" not in text  # the person's plan is theirs, never offered to the carer


# -- inside a question (issue 22.2) ----------------------------------------------------------


async def test_a_panic_attack_told_at_the_triggers_question_is_heard_not_saved_and_the_question_comes_back(person):
    await person.say("I want to write down my triggers")
    text = await person.say_text("i had a panic attack earlier")
    assert TOPICS["anxiety"].in_form in text and "not saved" in text
    assert prompt_of("triggers") in text
    assert saved_items(person, "triggers") == []
    await person.say("crowds")
    assert saved_items(person, "triggers") == ["crowds"]


async def test_words_that_are_a_fair_trigger_are_still_saved(person):
    await person.say("I want to write down my triggers")
    await person.say("panic attacks")
    assert saved_items(person, "triggers") == ["panic attacks"]


async def test_i_feel_awful_in_the_goal_question_is_heard_and_no_goal_is_saved(person):
    await person.say("I want to set a goal")
    text = await person.say_text("I feel awful")
    assert "not saved" in text and "What would you like to work towards?" in text
    with unit_of_work() as session:
        found = person_for_address(session, person.channel, person.sender_id)
        assert goals.active_goals(session, found.id) == []


async def test_feeling_low_in_the_toolbox_question_is_heard_and_then_the_answer_is_saved(person):
    await person.say("I want to write down my wellness toolbox")
    text = await person.say_text("im so low today")
    assert prompt_of("toolbox") in text and saved_items(person, "toolbox") == []
    await person.say("music")
    assert saved_items(person, "toolbox") == ["music"]


# -- command words inside a sentence (issue 18.3) --------------------------------------------


async def test_i_cant_stop_crying_is_heard_and_is_not_a_stop(person):
    text = await person.say_text("i cant stop crying")
    assert "OK, I've stopped" not in text
    assert TOPICS["low_mood"].heard in text


async def test_stop_on_its_own_still_stops(person):
    assert "OK, I've stopped" in await person.say_text("stop")
    await person.say("I want to set a goal")
    assert "we'll stop here" in await person.say_text("stop")


# -- never a dead end (issue 18.2) -----------------------------------------------------------


async def test_not_understood_twice_gets_an_honest_answer_and_a_way_on(person):
    first = await person.say("zxqv plimbo wug")
    text = "\n".join(reply.text for reply in first)
    assert "didn't understand" in text and CRISIS_HINT in text
    second = await person.say_text("florp blagh snee")
    assert "didn't understand" in second and "another way" in second and "menu" in second


VAGUE = [
    "thing about the stuff",
    "feelings sort of medicine bus flat",
    "the thing with the whatsit",
    "stuff and that",
    "my head",
]


async def test_when_unsure_did_you_mean_offers_plain_words_and_something_else(agent):
    offered = []
    for message in VAGUE:  # vague on purpose: at least one leaves the classifier unsure
        conversation = Conversation(agent, sender_id=f"sms-{uuid.uuid4()}", channel="sms")
        replies = await conversation.say(message)
        offered = [title for reply in replies for title in reply.button_titles]
        if offered:
            break
    assert offered, "no vague message got a 'did you mean'"
    assert offered[-1] == "Something else" and 3 <= len(offered) <= 4
    text = await conversation.say_text("Something else")
    assert "still didn't understand" in text and "another way" in text
