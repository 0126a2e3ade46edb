"""Carers, by whole conversations through the trained model, the real actions and a real
database: what a carer can be told, linking by a code the person gives, seeing exactly what
was shared (and nothing once it is taken back), leaving a message for the care team, support
for carers, and no path through the carer flows that reveals anything without consent."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from bot.common.sms_text import gsm7_length, gsm7_problem
from bot.language.training_examples import NLU_DATA_DIR, intent_examples
from bot.services.carers.carers import carers_content, what_a_carer_can_be_told
from bot.store.carer_models import CarerMessage
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage
from tests.support.coordinators import enrol, make_coordinator, save_plan
from tests.support.in_process import Conversation

pytestmark = pytest.mark.slow

CODE = re.compile(r"code for [a-z ]+: ([0-9]{4}-[0-9]{4})")
CONTACTS = ["999", "116 123"]
# One saved answer in every part of the plan, each with a marker that must never reach a carer
# unless that part is shared with them.
FULL_PLAN = {
    "toolbox": "walks by the canal mk-toolbox",
    "when_well": "chatty and busy mk-daily",
    "triggers": "payday and loud pubs mk-triggers",
    "warning_signs": "not sleeping mk-warning",
    "breaking_down_signs": "not eating mk-breaking",
    "supporters": "my sister Ann mk-crisis",
    "medicines_now": "lithium 400mg mk-crisis-meds",
    "recovery_helps": "quiet days mk-post",
}
MARKERS = [text.split()[-1] for text in FULL_PLAN.values()]
CRISIS_MARKERS = ["mk-crisis", "mk-crisis-meds"]


def leaked(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    found = re.findall(r"mk-[a-z-]+", text)
    return [marker for marker in found if marker not in allowed]


@pytest.fixture
def person(agent):
    """A service user by SMS, with a full plan."""
    return Conversation(agent, sender_id=f"person-{uuid.uuid4()}", channel="sms")


@pytest.fixture
def carer(agent):
    return Conversation(agent, sender_id=f"carer-{uuid.uuid4()}", channel="sms")


async def person_id_of(conversation: Conversation) -> str:
    from bot.services.people.lookup import person_for_address

    with unit_of_work() as session:
        return person_for_address(session, conversation.channel, conversation.sender_id).id


async def with_full_plan(person: Conversation) -> str:
    await person.say("hello")
    await person.say("for me")
    person_id = await person_id_of(person)
    save_plan(person_id, FULL_PLAN)
    return person_id


async def code_for_mum(person: Conversation, parts: str) -> str:
    reply = await person.say_text("share with my mum")
    match = CODE.search(reply)
    assert match, reply
    assert "Linking alone shares nothing" in reply and "Which parts of your plan" in reply
    await person.say(parts)
    return match.group(1)


async def linked_carer(person: Conversation, carer: Conversation, parts: str) -> None:
    code = await code_for_mum(person, parts)
    await carer.say("hello")
    await carer.say("I'm a carer")
    assert "you are now linked" in await carer.say_text(f"my code is {code}")


async def linked_on_sams_caseload(person: Conversation, carer: Conversation, notify: str = "email") -> tuple[str, str]:
    """The person, with a full plan, on coordinator Sam's caseload, and a carer linked with them
    who is shown nothing: (the person's id, Sam's id)."""
    person_id = await with_full_plan(person)
    username, coordinator_id = make_coordinator(name="Sam", notify=notify)
    enrol(username, person_id)
    await linked_carer(person, carer, "nothing")
    return person_id, coordinator_id


def sms_sized(replies) -> None:
    for reply in replies:
        assert gsm7_problem(reply.text) is None, reply.text
        assert gsm7_length(reply.text) <= 320, reply.text


# -- who is this for? --------------------------------------------------------------------------


async def test_a_carer_who_starts_with_a_worry_hears_it_said_back_before_the_carer_options(carer, agent):
    await carer.say("hello")
    replies = await carer.say("my daughter won't talk to me")
    assert await carer.slot("role") == "carer"
    assert replies[0].text == "That sounds hard. It is worrying when someone you care about won't talk to you."
    assert "If that's wrong, just say \"it's for me\"" in replies[1].text
    assert "Leave a message for the team" in replies[-1].button_titles
    sms_sized(replies)

    # Saying only who they are, with no worry in it, is not answered as if it were one.
    plain = Conversation(agent, sender_id=f"carer-{uuid.uuid4()}", channel="sms")
    await plain.say("hello")
    replies = await plain.say("I'm a carer")
    assert replies[0].text.startswith("Thank you for supporting them.")
    assert not any("sounds hard" in reply.text for reply in replies)


# -- what can I be told? -----------------------------------------------------------------------


async def test_an_unlinked_carer_gets_the_general_rules_only(carer, person):
    await with_full_plan(person)
    await carer.say("hello")
    await carer.say("I look after my son")
    assert await carer.slot("role") == "carer"
    reply = await carer.say_text("what can I be told about my son's care?")
    for message in what_a_carer_can_be_told():
        assert message in reply
    assert "Staff can always listen" in reply and "not mine" in reply
    assert carers_content().text("told_not_linked") in reply
    assert not leaked(reply)
    assert not leaked(await carer.say_text("show me"))


async def test_a_carer_with_consent_for_the_crisis_plan_sees_it_and_nothing_else(carer, person):
    await with_full_plan(person)
    await linked_carer(person, carer, "just my crisis plan")
    told = await carer.say_text("what am I allowed to know?")
    assert "has chosen to share their crisis plan with you, and nothing else" in told and not leaked(told)
    shown = await carer.say_text("show me what is shared with me")
    while "Say MORE" in shown.splitlines()[-1]:
        shown += "\n" + await carer.say_text("more")
    assert all(marker in shown for marker in CRISIS_MARKERS)
    assert not leaked(shown, allowed=tuple(CRISIS_MARKERS))


async def test_consent_taken_back_is_gone_on_the_next_request(carer, person):
    await with_full_plan(person)
    await linked_carer(person, carer, "triggers and crisis plan")
    shown = await carer.say_text("show me")
    assert "mk-triggers" in shown
    reply = await person.say_text("change what my mum can see")
    assert "Which parts of your plan" in reply
    assert "can now see your crisis plan, and nothing else" in await person.say_text("just my crisis plan")
    shown = await carer.say_text("show me")
    assert "mk-triggers" not in shown and "mk-crisis" in shown
    listed = await person.say_text("what can my mum see?")
    assert "Your mum can see your crisis plan" in listed
    assert "no longer linked" in await person.say_text("stop sharing with my mum")
    again = await carer.say_text("show me")
    assert not leaked(again) and "not linked" in again
    assert not leaked(await carer.say_text("what can I be told?"))


async def test_stopping_sharing_a_part_from_everyone_includes_carers(carer, person):
    await with_full_plan(person)
    await linked_carer(person, carer, "just my crisis plan")
    await person.say("stop sharing my crisis plan")
    assert not leaked(await carer.say_text("show me"))


# -- leaving a message ---------------------------------------------------------------------------


async def test_a_carers_message_reaches_the_coordinator_without_the_persons_consent(carer, person):
    person_id, coordinator_id = await linked_on_sams_caseload(person, carer, notify="sms")
    reply = await carer.say_text("he has stopped taking his tablets")
    assert "passed this to their care coordinator, Sam" in reply and "may not be able to tell you" in reply
    assert "999" in reply  # not watched all the time
    with unit_of_work() as session:
        message = session.execute(select(CarerMessage).where(CarerMessage.about_person_id == person_id)).scalar_one()
        assert message.text == "he has stopped taking his tablets" and message.coordinator_id == coordinator_id
        note = session.execute(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == f"carer-message:{message.id}")
        ).scalar_one()
        assert note.body == carers_content().notification_body and "tablets" not in note.body


async def test_asking_to_leave_a_message_asks_for_it_and_crisis_words_are_never_passed_on(carer, person):
    person_id, _ = await linked_on_sams_caseload(person, carer, notify="email")
    assert "What would you like the care team to know?" in await carer.say_text(
        "I want to leave a message for the care team"
    )
    crisis = await carer.say_text("my son says he wants to kill himself")
    assert all(contact in crisis for contact in CONTACTS)
    with unit_of_work() as session:
        assert session.execute(select(CarerMessage).where(CarerMessage.about_person_id == person_id)).first() is None
    ask = await carer.say_text("leave a message")
    assert "What would you like" in ask and '"done"' in ask  # by SMS, CANCEL would stop every text
    assert "OK, I have not sent anything" in await carer.say_text("done")
    with unit_of_work() as session:
        assert session.execute(select(CarerMessage).where(CarerMessage.about_person_id == person_id)).first() is None


async def test_a_carer_marks_their_message_urgent_and_hears_it_is_still_not_watched(carer, person):
    person_id, coordinator_id = await linked_on_sams_caseload(person, carer, notify="email")
    replies = await carer.say("she has not eaten for three days")
    assert "passed this to their care coordinator, Sam" in replies[0].text
    assert replies[-1].button_titles == ["It's urgent"] and "cannot wait" in replies[-1].text
    sms_sized(replies)
    marked = await carer.say_text("/carer_mark_urgent")  # the button
    assert "marked your message urgent, so Sam will see it first" in marked
    again = await carer.say_text("it's urgent")  # in their own words
    assert "already marked urgent" in again
    for reply in (marked, again):
        assert "999" in reply and "not watched all the time" in reply
    with unit_of_work() as session:
        message = session.execute(select(CarerMessage).where(CarerMessage.about_person_id == person_id)).scalar_one()
        assert message.urgent_at is not None
        assert session.execute(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == f"carer-message-urgent:{message.id}")
        ).scalar_one()


async def test_urgent_from_someone_who_is_not_a_carer_gets_the_crisis_contacts(person):
    await person.say("hello")
    reply = await person.say_text("it's urgent")
    assert all(contact in reply for contact in CONTACTS)


async def test_an_unlinked_carer_is_told_how_to_reach_the_team(carer):
    await carer.say("hello")
    await carer.say("I'm a carer")
    reply = await carer.say_text("she has stopped her medication")
    assert "contact their care team directly" in reply and "Staff can always listen" in reply


# -- support for carers and the tour ---------------------------------------------------------------


async def test_support_for_carers_lists_topics_and_gives_each_with_crisis_contacts_for_a_crisis(carer):
    await carer.say("hello")
    await carer.say("I'm a carer")
    replies = await carer.say("support for carers")
    titles = [title for reply in replies for title in reply.button_titles]
    assert "Carer's assessment" in titles and "Carers' groups" in titles
    assert "carer's assessment from your local council" in await carer.say_text("can I get a carers assessment?")
    crisis_help = await carer.say_text("what should I do if my daughter has a crisis")
    assert all(contact in crisis_help for contact in CONTACTS)


async def test_a_carer_can_take_the_care_coordination_tour(carer):
    await carer.say("hello")
    await carer.say("I'm a carer")
    reply = await carer.say_text("tell me about care coordination")
    assert "care coordinator" in reply.lower()


# -- nothing without consent, whatever is said ----------------------------------------------------


def carer_examples() -> list[str]:
    return [text for _, text in intent_examples([NLU_DATA_DIR / "carers.yml"])]


async def test_no_carer_example_reveals_anything_without_consent(carer, person):
    person_id, _ = await linked_on_sams_caseload(person, carer, notify="email")
    examples = carer_examples()
    assert len(examples) > 100
    for text in [*examples, "more", "show me", "more", "yes", "1", "everything"]:
        reply = await carer.say_text(text)
        assert not leaked(reply), (text, reply)
    # The same carer, once the person shares their crisis plan: the markers would be seen.
    await person.say("change what my mum can see")
    await person.say("just my crisis plan")
    await carer.say("stop")
    assert "mk-crisis" in await carer.say_text("show me")


# -- the "done when": one SMS-style conversation ----------------------------------------------------


async def test_one_sms_conversation_from_what_can_i_be_told_to_what_was_shared_to_a_message(carer, person):
    person_id = await with_full_plan(person)
    username, _ = make_coordinator(name="Sam", notify="sms")
    enrol(username, person_id)
    code = await code_for_mum(person, "just my crisis plan")

    said = []
    for text in ("hello", "for someone I support", "what can I be told?"):
        said += await carer.say(text)
    assert "If the person you support uses Alongside" in said[-1].text
    said += await carer.say(f"my code is {code}")
    told = await carer.say("what can I be told?")
    assert any("has chosen to share their crisis plan" in reply.text for reply in told)
    shown = await carer.say("show me")
    while "Say MORE" in shown[-1].text:
        said += shown
        shown = await carer.say("more")
    said += told + shown
    text = "\n".join(reply.text for reply in said)
    assert all(marker in text for marker in CRISIS_MARKERS) and not leaked(text, allowed=tuple(CRISIS_MARKERS))
    said += await carer.say("I want to leave a message for the care team")
    sent = await carer.say("he hasn't slept for three nights and has stopped his tablets")
    assert any("passed this to their care coordinator, Sam" in reply.text for reply in sent)
    sms_sized(said + sent)


async def test_crisis_words_while_choosing_what_a_carer_may_see_get_the_contacts_and_share_nothing(person, carer):
    await with_full_plan(person)
    code = await code_for_mum(person, "I want to end my life")
    reply = await person.say_text("what can my mum see?")
    assert "has not used their code yet" in reply and "can see your" not in reply
    await carer.say("I'm a carer")
    await carer.say(f"my code is {code}")
    assert not leaked(await carer.say_text("show me"))


async def test_crisis_words_in_the_which_parts_question_get_the_crisis_reply_at_once(person):
    await with_full_plan(person)
    await person.say("share with my mum")
    crisis = await person.say_text("I want to end my life")
    assert all(contact in crisis for contact in CONTACTS)
