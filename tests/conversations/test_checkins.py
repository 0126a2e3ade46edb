"""Check-ins end to end: chosen in conversation, sent by the scheduler with `now` moved forward
(time travel, no sleeping), answered by SMS as an ordinary message, seen in the history; and
the stuck rule, from three "same" check-ins to a reflection and a review flag with consent."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.common.clock import as_utc
from bot.services.messaging.reach import remember_sms_number
from bot.services.people.lookup import person_for_address
from bot.services.recovery import checkins, stuck
from bot.store.consent_models import ConsentRecord
from bot.store.db import unit_of_work
from bot.store.goals_models import CheckIn, ReviewFlag
from bot.store.models import CaseloadEntry, Person, Role
from bot.store.outbox_models import OutboxMessage
from bot.store.staff_models import StaffAccount
from tests.support.in_process import Conversation

pytestmark = pytest.mark.slow
_numbers = iter(range(100_000, 999_999))


def sms_person(agent) -> Conversation:
    conversation = Conversation(agent, sender_id=f"sms-{uuid.uuid4()}", channel="sms")
    with unit_of_work() as session:
        person = person_for_address(session, "sms", conversation.sender_id)
        person.role = Role.service_user
        remember_sms_number(session, person.id, f"+447700{next(_numbers):06d}")
    return conversation


def person_id_of(conversation) -> str:
    with unit_of_work() as session:
        return person_for_address(session, conversation.channel, conversation.sender_id).id


def answered(conversation) -> list[tuple[str, str | None]]:
    person_id = person_id_of(conversation)
    with unit_of_work() as session:
        return [(c.rating, c.note) for c in reversed(checkins.history(session, person_id))]


def send_when_due(conversation) -> list[CheckIn]:
    """Move time to this person's next slot and run what the worker runs."""
    person_id = person_id_of(conversation)
    with unit_of_work() as session:
        due = as_utc(checkins.schedule_for(session, person_id).next_due_at)
    with unit_of_work() as session:
        return [c for c in checkins.send_due_checkins(session, due) if c.person_id == person_id]


def give_coordinator(conversation, name: str) -> str:
    person_id = person_id_of(conversation)
    with unit_of_work() as session:
        coordinator = Person(role=Role.coordinator)
        session.add(coordinator)
        session.flush()
        session.add(StaffAccount(person_id=coordinator.id, username=f"c-{uuid.uuid4()}", display_name=name))
        session.add(CaseloadEntry(coordinator_id=coordinator.id, service_user_id=person_id))
        return coordinator.id


async def test_check_ins_chosen_sent_by_sms_and_answered_with_a_number(agent):
    person = sms_person(agent)
    text = await person.say_text("check in with me every Monday")
    assert "every Monday at 10am" in text and "text" in text
    asked = send_when_due(person)
    assert len(asked) == 1 and asked[0].channel == "sms"
    person_id = person_id_of(person)
    with unit_of_work() as session:
        body = session.execute(select(OutboxMessage.body).where(OutboxMessage.person_id == person_id)).scalar_one()
    assert "Reply 1 better, 2 same or 3 worse" in body
    text = await person.say_text("2")
    assert "anything you want to add" in text.lower()
    assert answered(person) == [("same", None)]  # saved before the note
    text = await person.say_text("not much happened this week")
    assert "about the same" in text and "note" in text
    assert answered(person) == [("same", "not much happened this week")]
    with unit_of_work() as session:
        assert session.get(CheckIn, asked[0].id).status == "answered"


async def test_a_reply_with_a_note_is_saved_in_one_go(agent):
    person = sms_person(agent)
    await person.say("check in with me every 3 days")
    send_when_due(person)
    text = await person.say_text("worse, not sleeping")
    assert "worse" in text and "anything" not in text.lower()
    assert answered(person) == [("worse", "not sleeping")]


async def test_without_sms_the_check_in_is_asked_at_the_next_chat(conversation):
    await conversation.say("hello")
    await conversation.say("for me")
    text = await conversation.say_text("check in with me every Monday")
    assert "next time we talk" in text
    asked = send_when_due(conversation)
    assert asked[0].channel == "chat"
    text = await conversation.say_text("hello")
    assert "time for your check-in" in text
    await conversation.say("better")
    await conversation.say("no")
    assert answered(conversation) == [("better", None)]


async def test_asking_how_often_then_never_and_stop_check_ins(agent):
    person = sms_person(agent)
    text = await person.say_text("set up check-ins")
    assert "How often" in text
    text = await person.say_text("banana")
    assert "Sorry" in text
    text = await person.say_text("every day at 11pm")
    assert "9am" in text  # quiet hours
    text = await person.say_text("STOP CHECK-INS")
    assert "no check-ins" in text.lower()
    person_id = person_id_of(person)
    with unit_of_work() as session:
        assert checkins.schedule_for(session, person_id).rhythm == "none"


async def test_the_history_of_check_ins(agent):
    person = sms_person(agent)
    text = await person.say_text("how have my check-ins gone?")
    assert "not checked in yet" in text
    await person.say("better, saw my sister")
    await person.say("3")
    await person.say("no")
    text = await person.say_text("how have my check-ins gone?")
    assert "better (saw my sister)" in text and "worse" in text
    assert "1 better, 0 the same and 1 worse" in text


async def test_crisis_language_inside_a_check_in_gets_the_crisis_reply(agent):
    person = sms_person(agent)
    await person.say("2")
    text = await person.say_text("I want to end my life")
    assert "999" in text and "116 123" in text
    assert answered(person) == [("same", None)]  # the crisis message is not saved as a note


async def test_three_same_check_ins_offer_a_reflection_then_flag_only_after_a_yes(agent):
    person = sms_person(agent)
    coordinator_id = give_coordinator(person, "Sam")
    for _ in range(2):
        text = await person.say_text("same, nothing new")
        assert "think it through" not in text  # not before the threshold
    text = await person.say_text("same, nothing new")
    assert "think it through" in text
    text = await person.say_text("yes")
    assert stuck.content().steps[0].text in text
    for step in stuck.content().steps[1:]:
        text = await person.say_text("I have tried a few things")
        assert step.text in text
    text = await person.say_text("last OK in spring, worse since summer")
    assert "talk this over with Sam" in text
    person_id = person_id_of(person)
    with unit_of_work() as session:
        reflection = stuck.latest_reflection(session, person_id)
        assert reflection.reason == stuck.CHECKINS_NO_PROGRESS and reflection.finished_at is not None
        assert len(stuck.answers(session, reflection)) == len(stuck.content().steps)
        assert session.execute(select(ReviewFlag).where(ReviewFlag.person_id == person_id)).first() is None
    text = await person.say_text("yes")
    assert "let Sam know" in text
    with unit_of_work() as session:
        flag = session.execute(select(ReviewFlag).where(ReviewFlag.person_id == person_id)).scalar_one()
        consent = session.execute(select(ConsentRecord).where(ConsentRecord.person_id == person_id)).scalar_one()
    assert flag.reason == "checkins_no_progress" and flag.coordinator_id == coordinator_id
    assert consent.category == "goals_checkins" and consent.recipient_id == coordinator_id


async def test_saying_no_to_the_flag_raises_nothing(agent):
    person = sms_person(agent)
    give_coordinator(person, "Sam")
    await person.say("I feel stuck")
    await person.say("yes")
    for _ in stuck.content().steps:
        text = await person.say_text("skip")
    assert "Sam" in text
    text = await person.say_text("no")
    assert "not told anyone" in text
    person_id = person_id_of(person)
    with unit_of_work() as session:
        assert session.execute(select(ReviewFlag).where(ReviewFlag.person_id == person_id)).first() is None
        assert session.execute(select(ConsentRecord).where(ConsentRecord.person_id == person_id)).first() is None


async def test_saying_stuck_can_be_declined_or_paused_and_resumed(conversation):
    text = await conversation.say_text("nothing is changing")
    assert "think it through" in text
    text = await conversation.say_text("no")
    assert "I feel stuck" in text
    await conversation.say("I feel stuck")
    await conversation.say("yes")
    await conversation.say("I moved house")
    text = await conversation.say_text("later")
    assert "saved" in text
    await conversation.say("I feel stuck")
    text = await conversation.say_text("yes")
    assert stuck.content().steps[1].text in text  # carries on at the second question
    person_id = person_id_of(conversation)
    with unit_of_work() as session:
        reflection = stuck.latest_reflection(session, person_id)
        assert [a.text for a in stuck.answers(session, reflection)] == ["I moved house"]


async def test_crisis_language_inside_the_reflection_gets_the_crisis_reply_and_is_not_saved(conversation):
    await conversation.say("I feel stuck")
    await conversation.say("yes")
    text = await conversation.say_text("I just want to die")
    assert "999" in text and "116 123" in text
    person_id = person_id_of(conversation)
    with unit_of_work() as session:
        reflection = stuck.latest_reflection(session, person_id)
        assert stuck.answers(session, reflection) == []


async def test_yes_out_of_context_does_not_start_a_reflection(conversation):
    await conversation.say("better")
    await conversation.say("no")
    text = await conversation.say_text("yes")
    assert stuck.content().steps[0].text not in text
    assert (await conversation.tracker()).active_loop_name is None


async def test_no_update_for_stuck_days_offers_a_reflection_at_a_check_in(agent):
    person = sms_person(agent)
    person_id = person_id_of(person)
    with unit_of_work() as session:
        person_row = session.get(Person, person_id)
        person_row.created_at = person_row.created_at - timedelta(days=60)
    text = await person.say_text("better, bit brighter")
    assert "have not changed for a while" in text
