"""Sharing the plan with a care coordinator, in whole conversations: asked, shown, answered,
remembered, withdrawn, reviewed, and paused by a crisis like everything else."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.common.clock import utc_now
from bot.services.consent import ledger as consent
from bot.services.consent.content import load_consent_content
from bot.services.people.lookup import person_for_address
from bot.services.wrap import plan as wrap
from bot.store.consent_models import ConsentDecision, ConsentRecord, ShareEvent
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage
from tests.support.caseloads import add_coordinator, enrol
from tests.support.in_process import Conversation

pytestmark = pytest.mark.slow

CONTACTS = ["999", "NHS 111", "116 123", "85258"]
ASK_WORDS = "Would you like to share your"


def _person_id(conversation: Conversation) -> str:
    with unit_of_work() as session:
        return person_for_address(session, conversation.channel, conversation.sender_id).id


def with_coordinator(
    conversation: Conversation, name: str = "Sam", address: str | None = "+447700900001"
) -> tuple[str, str]:
    """Put the person in this conversation on a coordinator's caseload."""
    with unit_of_work() as session:
        person_id = person_for_address(session, conversation.channel, conversation.sender_id).id
        coordinator_id = add_coordinator(session, name, "sms", address)
        enrol(session, coordinator_id, person_id)
    return person_id, coordinator_id


def seed_plan(conversation: Conversation, answers: dict[str, str]) -> None:
    """Plan answers saved straight through the service (the plan's own conversation is tested
    in test_wrap.py)."""
    with unit_of_work() as session:
        plan = wrap.plan_for(session, _person_id(conversation))
        for question_id, text in answers.items():
            wrap.save_answer(session, plan, question_id, text, "rest")


def counts(person_id: str, coordinator_id: str) -> tuple[int, int]:
    """(share events, outbox messages to the coordinator)."""
    with unit_of_work() as session:
        events = session.execute(
            select(func.count()).select_from(ShareEvent).where(ShareEvent.person_id == person_id)
        ).scalar_one()
        messages = session.execute(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.person_id == coordinator_id)
        ).scalar_one()
    return events, messages


def active(person_id: str, coordinator_id: str) -> set[str]:
    with unit_of_work() as session:
        return consent.active_categories(session, person_id, coordinator_id)


async def finish_triggers(conversation: Conversation, triggers: str = "crowds, payday") -> str:
    await conversation.say("I want to write down my triggers")
    await conversation.say(triggers)
    await conversation.say("that's all")
    await conversation.say("skip")
    return await conversation.say_text("skip")


async def test_after_finishing_triggers_sam_is_named_the_items_shown_and_yes_shares_once(conversation):
    person_id, coordinator_id = with_coordinator(conversation)
    asked = await finish_triggers(conversation)
    assert "Sam" in asked and "crowds" in asked and "payday" in asked and ASK_WORDS in asked
    assert "Next is" not in asked  # the next part waits until this is answered
    assert counts(person_id, coordinator_id) == (0, 0)  # nothing before the answer

    text = await conversation.say_text("yes")
    assert "Sam can now see your triggers" in text
    assert "next time they check" in text and "read it" in text
    assert "Early warning signs" in text and "carry on with my plan" in text
    assert counts(person_id, coordinator_id) == (1, 1)
    assert active(person_id, coordinator_id) == {"triggers"}
    with unit_of_work() as session:
        message = session.execute(select(OutboxMessage).where(OutboxMessage.person_id == coordinator_id)).scalar_one()
        record = session.execute(select(ConsentRecord).where(ConsentRecord.person_id == person_id)).scalar_one()
    assert message.body == load_consent_content().notification_body
    assert "crowds" not in message.body and "payday" not in message.body
    assert record.wording in asked and record.channel == "rest"  # the exact words shown are kept
    assert (await conversation.tracker()).active_loop_name is None

    # More triggers later: Sam already sees them; nothing is asked and nothing more is queued.
    text = await finish_triggers(conversation, "loud music")
    assert "Sam can already see your triggers" in text and ASK_WORDS not in text
    assert counts(person_id, coordinator_id) == (1, 1)


async def test_not_now_shares_nothing_and_is_not_asked_again_after_the_next_section(conversation):
    person_id, coordinator_id = with_coordinator(conversation)
    await finish_triggers(conversation)
    text = await conversation.say_text("not now")
    assert "Nothing is shared" in text
    assert counts(person_id, coordinator_id) == (0, 0)
    with unit_of_work() as session:
        [record] = session.execute(select(ConsentRecord).where(ConsentRecord.person_id == person_id)).scalars().all()
    assert record.decision == ConsentDecision.declined and record.category == "triggers"

    text = await finish_triggers(conversation, "loud music")
    assert ASK_WORDS not in text and "Next is" in text  # not nagged

    # Asking is always possible, and is honoured.
    text = await conversation.say_text("no")  # to "start the next part now?"
    text = await conversation.say_text("share my triggers with my coordinator")
    assert ASK_WORDS in text and "loud music" in text
    await conversation.say("yes")
    assert counts(person_id, coordinator_id) == (1, 1)


async def test_share_some_parts_of_the_plan_and_not_the_rest(conversation):
    person_id, coordinator_id = with_coordinator(conversation)
    seed_plan(conversation, {"triggers": "crowds", "warning_signs": "not sleeping", "supporters": "my sister"})
    text = await conversation.say_text("send my plan to my care coordinator")
    assert all(words in text for words in ("crowds", "not sleeping", "my sister", "Sam"))
    assert "just my triggers" in text  # they are told they can choose
    text = await conversation.say_text("just my triggers and crisis plan")
    assert "Sam can now see your triggers and crisis plan" in text
    assert "I have not shared your early warning signs" in text
    assert active(person_id, coordinator_id) == {"triggers", "crisis_plan"}
    with unit_of_work() as session:
        event = session.execute(select(ShareEvent).where(ShareEvent.person_id == person_id)).scalar_one()
    assert event.categories == "triggers,crisis_plan"
    assert counts(person_id, coordinator_id) == (1, 1)


async def test_no_coordinator_on_record_is_said_kindly_with_what_to_do(conversation):
    seed_plan(conversation, {"triggers": "crowds"})
    text = await conversation.say_text("share my plan with my care coordinator")
    assert "care coordinator on record" in text and "download my plan" in text
    assert (await conversation.tracker()).active_loop_name is None
    text = await conversation.say_text("download my plan")
    assert "/webhooks/plan/export/" in text  # what we suggested works


async def test_who_can_see_my_plan(conversation):
    person_id, coordinator_id = with_coordinator(conversation)
    text = await conversation.say_text("who can see my plan?")
    assert "private" in text and "nothing is shared" in text
    seed_plan(conversation, {"triggers": "crowds", "warning_signs": "not sleeping"})
    await conversation.say("share my triggers and warning signs with my coordinator")
    await conversation.say("yes")
    text = await conversation.say_text("who can see my plan?")
    assert "Sam, your care coordinator, can see your triggers and early warning signs" in text
    assert "stop sharing" in text


async def test_stop_sharing_the_crisis_plan_then_everything_takes_effect_at_once(conversation):
    person_id, coordinator_id = with_coordinator(conversation)
    seed_plan(conversation, {"triggers": "crowds", "supporters": "my sister"})
    await conversation.say("share my plan with my coordinator")
    await conversation.say("yes")
    assert active(person_id, coordinator_id) == {"triggers", "crisis_plan"}

    text = await conversation.say_text("stop sharing my crisis plan")
    assert "Sam can no longer see your crisis plan" in text
    assert active(person_id, coordinator_id) == {"triggers"}
    text = await conversation.say_text("stop sharing my crisis plan")
    assert "nothing to stop" in text

    text = await conversation.say_text("stop sharing everything")
    assert "Sam can no longer see your triggers" in text
    assert active(person_id, coordinator_id) == set()
    text = await conversation.say_text("who can see my plan?")
    assert "nothing is shared" in text


async def test_when_the_review_date_has_passed_the_bot_asks_again_before_sharing_more(conversation):
    person_id, coordinator_id = with_coordinator(conversation)
    seed_plan(conversation, {"triggers": "crowds"})
    long_ago = utc_now() - timedelta(days=400)
    with unit_of_work() as session:
        consent.grant(session, person_id, coordinator_id, ["triggers"], wording="Share?", channel="sms", now=long_ago)
    assert active(person_id, coordinator_id) == set()  # lapsed: nothing more is shared

    text = await conversation.say_text("who can see my plan?")
    assert "time to check" in text

    text = await finish_triggers(conversation, "payday")
    assert "time to check" in text and ASK_WORDS in text and "payday" in text
    await conversation.say("yes")
    assert active(person_id, coordinator_id) == {"triggers"}
    assert counts(person_id, coordinator_id) == (1, 1)


async def test_crisis_in_the_middle_of_the_question_gets_the_crisis_reply_and_the_question_waits(conversation):
    person_id, coordinator_id = with_coordinator(conversation)
    seed_plan(conversation, {"triggers": "crowds"})
    await conversation.say("share my triggers with my coordinator")
    text = await conversation.say_text("I want to end my life")
    assert all(contact in text for contact in CONTACTS)
    assert "Nothing has been shared" in text
    assert counts(person_id, coordinator_id) == (0, 0)
    assert (await conversation.tracker()).active_loop_name is None

    await conversation.say("yes")  # not taken as an answer to the paused question
    assert counts(person_id, coordinator_id) == (0, 0)

    text = await conversation.say_text("carry on")
    assert ASK_WORDS in text and "crowds" in text
    await conversation.say("yes")
    assert counts(person_id, coordinator_id) == (1, 1)


async def test_not_what_i_meant_goes_back_to_the_question(conversation):
    person_id, coordinator_id = with_coordinator(conversation)
    seed_plan(conversation, {"triggers": "crowds"})
    await conversation.say("share my triggers with my coordinator")
    await conversation.say("honestly I could kill myself")
    text = await conversation.say_text("that's not what I meant")
    assert ASK_WORDS in text
    await conversation.say("no")
    assert counts(person_id, coordinator_id) == (0, 0)
    assert (await conversation.tracker()).active_loop_name is None


async def test_a_long_preview_comes_in_sms_pages_and_more_shows_the_rest(agent):
    sms = Conversation(agent, sender_id=f"sms-{uuid.uuid4()}", channel="sms")
    person_id, coordinator_id = with_coordinator(sms)
    seed_plan(sms, {"triggers": ", ".join(f"trigger number {n} that sets me off badly" for n in range(12))})
    replies = await sms.say("share my triggers with my coordinator")
    assert all(len(reply.text) <= 320 for reply in replies)
    text = "\n".join(reply.text for reply in replies)
    assert "MORE" in text and "trigger number 0" in text and "trigger number 11" not in text
    text = await sms.say_text("more")
    assert "trigger number" in text and "Reply YES" in text
    assert counts(person_id, coordinator_id) == (0, 0)
    await sms.say("yes")
    assert counts(person_id, coordinator_id) == (1, 1)


async def test_answers_it_cannot_read_are_asked_again_then_left_with_nothing_shared(conversation):
    person_id, coordinator_id = with_coordinator(conversation)
    seed_plan(conversation, {"triggers": "crowds"})
    await conversation.say("share my triggers with my coordinator")
    first = await conversation.say_text("what will they do with it?")
    assert "NOT NOW" in first
    await conversation.say("purple")
    text = await conversation.say_text("banana")
    assert "Nothing is shared" in text
    assert counts(person_id, coordinator_id) == (0, 0)
    with unit_of_work() as session:
        assert not session.execute(select(ConsentRecord).where(ConsentRecord.person_id == person_id)).first()
    assert (await conversation.tracker()).active_loop_name is None


async def test_without_a_notification_address_the_share_still_happens(conversation):
    person_id, coordinator_id = with_coordinator(conversation, "Jo", address=None)
    seed_plan(conversation, {"triggers": "crowds"})
    await conversation.say("share my triggers with my coordinator")
    text = await conversation.say_text("yes")
    assert "Jo can now see your triggers" in text
    assert counts(person_id, coordinator_id) == (1, 0)


async def test_nothing_saved_means_nothing_to_ask(conversation):
    person_id, coordinator_id = with_coordinator(conversation)
    text = await conversation.say_text("share my triggers with my coordinator")
    assert "nothing saved in your triggers" in text
    text = await conversation.say_text("send my plan to my care coordinator")
    assert "nothing saved in your plan" in text
    assert (await conversation.tracker()).active_loop_name is None
    assert counts(person_id, coordinator_id) == (0, 0)
