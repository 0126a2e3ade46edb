"""Joining a care coordinator's caseload by sending an enrolment code in the conversation,
with the code made by the admin command, as an administrator and a person would do it."""

from __future__ import annotations

import io
import re
import uuid

import pytest

from bot.admin import main as admin
from bot.services.people import enrolment
from bot.services.people.lookup import person_for_address
from bot.store.db import unit_of_work
from bot.store.models import Role
from bot.store.staff_models import StaffAccount

pytestmark = pytest.mark.slow


def coordinator_with_code(name: str = "Sam") -> tuple[str, str]:
    """A coordinator made with the admin command, and a code from it: (person id, code)."""
    username = f"conv.{uuid.uuid4().hex[:8]}"
    assert (
        admin(
            ["create-coordinator", username, "--name", name, "--notify", "email", "--address", "sam@example.org"],
            out=io.StringIO(),
        )
        == 0
    )
    printed = io.StringIO()
    assert admin(["enrol-code", username, "--label", "A.B."], out=printed) == 0
    code = re.search(r"Enrolment code: ([A-Z]{4}-[0-9]{4})", printed.getvalue()).group(1)
    with unit_of_work() as session:
        from sqlalchemy import select

        coordinator_id = session.execute(
            select(StaffAccount.person_id).where(StaffAccount.username == username)
        ).scalar_one()
    return coordinator_id, code


def caseload_ids(coordinator_id: str) -> list[str]:
    with unit_of_work() as session:
        return [person.person_id for person in enrolment.active_caseload(session, coordinator_id)]


def person_id(conversation) -> str:
    with unit_of_work() as session:
        return person_for_address(session, conversation.channel, conversation.sender_id).id


async def test_sending_the_code_in_a_sentence_links_the_person(conversation):
    coordinator_id, code = coordinator_with_code("Sam")
    await conversation.say("hello")
    text = await conversation.say_text(f"my enrolment code is {code}")
    assert "linked with Sam, your care coordinator" in text and "unless you choose to share" in text
    assert caseload_ids(coordinator_id) == [person_id(conversation)]
    assert await conversation.slot("role") == "service_user"
    with unit_of_work() as session:
        person = person_for_address(session, conversation.channel, conversation.sender_id)
        assert person.role is Role.service_user


async def test_saying_you_have_a_code_then_sending_it_alone(conversation):
    coordinator_id, code = coordinator_with_code("Ali")
    asked = await conversation.say_text("my care coordinator gave me a code")
    assert "four letters and four numbers" in asked
    text = await conversation.say_text(code.lower().replace("-", ""))
    assert "linked with Ali" in text
    assert caseload_ids(coordinator_id) == [person_id(conversation)]


async def test_a_wrong_or_used_code_is_refused_kindly(conversation, agent):
    from tests.support.in_process import Conversation

    coordinator_id, code = coordinator_with_code()
    assert "did not work" in await conversation.say_text("my code is ZZZZ-0000")
    assert "linked with" in await conversation.say_text(code)
    assert "already linked" in await conversation.say_text(code)  # their own code again: used
    someone_else = Conversation(agent, sender_id=f"test-{uuid.uuid4()}")
    assert "did not work" in await someone_else.say_text(code)
    assert caseload_ids(coordinator_id) == [person_id(conversation)]


async def test_too_many_wrong_codes_are_slowed_down(conversation):
    coordinator_id, code = coordinator_with_code()
    for attempt in range(5):
        assert "did not work" in await conversation.say_text(f"my code is ZZZZ-{attempt:04d}")
    assert "wait an hour" in await conversation.say_text(code)
    assert caseload_ids(coordinator_id) == []


async def test_crisis_language_with_a_code_still_gets_the_crisis_reply(conversation):
    coordinator_id, code = coordinator_with_code()
    text = await conversation.say_text(f"{code} I want to end my life")
    assert "116 123" in text and "linked with" not in text
    assert caseload_ids(coordinator_id) == []


async def test_a_code_mid_plan_is_saved_as_an_answer_not_taken_as_enrolment(conversation):
    coordinator_id, code = coordinator_with_code()
    await conversation.say("I want to write down my triggers")
    text = await conversation.say_text("payday")
    assert "linked with" not in text
    assert caseload_ids(coordinator_id) == []
