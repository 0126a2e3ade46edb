"""Seeing, downloading and deleting your data, by conversation."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.services.people.lookup import person_for_address
from bot.services.privacy import erasure
from bot.services.privacy.personal_data import as_json, collect
from bot.services.wrap.export_links import DATA_EXPORT, person_for_export_token
from bot.store.audit_models import AuditEntry
from bot.store.db import unit_of_work
from bot.store.models import CaseloadEntry, Person, Role
from bot.store.outbox_models import OutboxMessage
from bot.store.staff_models import StaffAccount
from tests.support.in_process import Conversation
from tests.support.privacy import everything_stored

LINK = re.compile(r"/webhooks/plan/data/(\S+)")


async def _plan_with(conversation: Conversation, marker: str) -> None:
    await conversation.say("hello")
    await conversation.say("I want to make a wellness plan")
    await conversation.say(f"{marker} on the allotment")
    await conversation.say("later")  # inside the plan, everything else is an answer


def _person_id(conversation: Conversation) -> str:
    with unit_of_work() as session:
        return person_for_address(session, conversation.channel, conversation.sender_id).id


async def test_what_do_you_know_about_me_counts_what_is_kept(conversation):
    await _plan_with(conversation, "growing beans")
    text = await conversation.say_text("what do you know about me?")
    assert "1 answers in your wellness plan" in text or "1 answer" in text
    assert "download my data" in text and "delete my data" in text


async def test_download_gives_everything_of_mine_and_nothing_of_anyone_else(agent, conversation):
    mine, theirs = f"heron{uuid.uuid4().hex[:6]}", f"otter{uuid.uuid4().hex[:6]}"
    other = Conversation(agent, sender_id=f"test-{uuid.uuid4()}")
    await _plan_with(conversation, mine)
    await _plan_with(other, theirs)
    text = await conversation.say_text("can I have a copy of my data")
    token = LINK.search(text).group(1)
    now = datetime.now(timezone.utc)
    person_id = person_for_export_token(token, now, purpose=DATA_EXPORT)
    assert person_id == _person_id(conversation)
    assert person_for_export_token(token, now) is None, "a data link is not a plan link"
    with unit_of_work() as session:
        exported = as_json(collect(session, person_id), now)
    document = json.loads(exported)
    assert mine in exported and theirs not in exported
    assert any(mine in line["text"] for line in document["conversation"] if line["from"] == "you")
    assert {"people", "channel_identities", "wrap_plans", "wrap_items"} <= set(document["records"])


async def test_delete_asks_first_and_no_keeps_everything(conversation):
    await _plan_with(conversation, "kite flying")
    assert "cannot be undone" in await conversation.say_text("delete my data")
    assert "not deleted anything" in await conversation.say_text("no")
    with unit_of_work() as session:
        assert not erasure.due_erasure_ids(session, datetime.now(timezone.utc) + timedelta(hours=1))


async def test_delete_erases_every_trace_and_tells_the_coordinator_without_content(conversation):
    marker = f"puffin{uuid.uuid4().hex[:8]}"
    await _plan_with(conversation, marker)
    person_id = _person_id(conversation)
    with unit_of_work() as session:
        coordinator = Person(role=Role.coordinator)
        session.add(coordinator)
        session.flush()
        session.add(
            StaffAccount(
                person_id=coordinator.id,
                username=f"sam-{uuid.uuid4().hex[:8]}",
                display_name="Sam",
                notify_channel="email",
                notify_address="sam@example.nhs.uk",
            )
        )
        session.add(CaseloadEntry(coordinator_id=coordinator.id, service_user_id=person_id))
        coordinator_id = coordinator.id
    assert marker in everything_stored()

    await conversation.say("delete my data")
    assert "deleting everything" in await conversation.say_text("yes")
    now = datetime.now(timezone.utc)
    with unit_of_work() as session:
        assert not erasure.due_erasure_ids(session, now), "waits for the turn to be saved"
        due = erasure.due_erasure_ids(session, now + erasure.ERASURE_DELAY)
    for request_id in due:
        with unit_of_work() as session:
            erasure.carry_out(session, request_id)

    assert marker not in everything_stored()
    # Only the erasure request and the audit log's tombstone (a random id, times and counts)
    # remember that someone was here.
    assert person_id not in everything_stored(leave_out=frozenset({"erasure_requests", "audit_entries"}))
    with unit_of_work() as session:
        actions = (
            session.execute(
                select(AuditEntry.action).where(AuditEntry.subject_person_id == person_id).order_by(AuditEntry.seq)
            )
            .scalars()
            .all()
        )
    assert actions[-2:] == ["erasure_requested", "data_erased"]
    with unit_of_work() as session:
        assert session.get(Person, person_id) is None
        notice = session.execute(
            select(OutboxMessage).where(
                OutboxMessage.person_id == coordinator_id, OutboxMessage.purpose == "erasure_notice"
            )
        ).scalar_one()
        assert notice.recipient == "sam@example.nhs.uk" and marker not in notice.body and "allotment" not in notice.body
    # Writing again starts fresh.
    assert "for yourself, or for someone you support" in await conversation.say_text("hello")


async def test_a_carers_data_is_in_their_export_and_erasure_and_their_words_are_not_in_the_persons(agent):
    from bot.services.carers import carers
    from tests.support.coordinators import make_person

    marker = f"curlew{uuid.uuid4().hex[:8]}"
    person_id = make_person()
    now = datetime.now(timezone.utc)
    with unit_of_work() as session:
        made = carers.make_code(session, person_id, "mum", now)
    carer = Conversation(agent, sender_id=f"carer-{uuid.uuid4()}", channel="sms")
    await carer.say("I'm a carer")
    await carer.say(f"my code is {made.code}")
    await carer.say(f"she has stopped her tablets {marker}")
    carer_id = _person_id(carer)
    with unit_of_work() as session:
        theirs = as_json(collect(session, carer_id), now)
        persons = as_json(collect(session, person_id), now)
    carer_records = json.loads(theirs)["records"]
    assert marker in theirs and {"carer_links", "carer_messages"} <= set(carer_records)
    assert all("code_hash" not in row for row in carer_records["carer_links"])
    # The person sees their own link ("mum"), but not the carer's words about them.
    assert "carer_links" in json.loads(persons)["records"] and marker not in persons
    assert "carer_messages" not in json.loads(persons)["records"]

    await carer.say("delete my data")
    await carer.say("yes")
    with unit_of_work() as session:
        due = erasure.due_erasure_ids(session, datetime.now(timezone.utc) + erasure.ERASURE_DELAY)
    for request_id in due:
        with unit_of_work() as session:
            erasure.carry_out(session, request_id)
    assert marker not in everything_stored()
    with unit_of_work() as session:
        # The person's own link remains, linked to no one: the carer is gone.
        assert carers.what_is_shared(session, carer_id) == []


@pytest.mark.parametrize("channel", ["rest", "sms", "webchat"])
async def test_delete_takes_effect_before_the_confirmation_on_every_channel(agent, channel):
    """Issue 22.3: straight after "yes", nothing of the plan is shown and nobody can see it,
    though the worker has not run yet (it only clears the conversation history afterwards)."""
    from tests.conversations.test_consent import seed_plan, with_coordinator

    conversation = Conversation(agent, sender_id=f"erase-{uuid.uuid4()}", channel=channel)
    await conversation.say("hello")
    person_id, _ = with_coordinator(conversation)
    marker = f"gannet{uuid.uuid4().hex[:6]}"
    seed_plan(conversation, {"triggers": f"crowds {marker}", "warning_signs": "not sleeping"})
    await conversation.say("share my triggers and warning signs with my coordinator")
    await conversation.say("yes")
    assert "Sam" in await conversation.say_text("who can see my plan?")

    await conversation.say("delete my data")
    assert "deleting everything" in await conversation.say_text("yes")
    with unit_of_work() as session:
        assert session.get(Person, person_id) is None, "erased in the turn, not a minute later"
    assert marker not in everything_stored(with_history=False)
    assert marker not in await conversation.say_text("show my plan")
    who = await conversation.say_text("who can see my plan?")
    assert "Sam" not in who and "nothing is shared" in who
