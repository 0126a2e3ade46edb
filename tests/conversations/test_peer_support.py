"""Finding peer support in a plain-text conversation, for a service user and for a carer."""

from __future__ import annotations

import uuid

import pytest

from bot.services.peer_support import search
from bot.services.peer_support.directory import load_directory
from tests.support.in_process import Conversation
from tests.support.plan import saved_items

pytestmark = pytest.mark.slow


def names(text: str) -> list[str]:
    return [service.name for service in load_directory() if service.name in text]


async def test_a_service_user_asks_for_a_hearing_voices_group_gives_an_area_and_saves_one(agent):
    sms = Conversation(agent, sender_id=f"sms-{uuid.uuid4()}", channel="sms")
    text = await sms.say_text("is there a hearing voices group near me")
    assert "postcode" in text  # the need was in the first message, so only the area is asked
    replies = await sms.say("LS6 2AB")
    text = "\n".join(r.text for r in replies)
    assert "Hearing Voices" in text
    assert all(len(r.text) <= 320 for r in replies)
    assert len(names(text)) <= 3  # at most three at a time over SMS
    assert (await sms.slot("peer_district")) == "LS6"  # never the full postcode
    await sms.say("save 1")
    assert len(saved_items(sms, "toolbox")) == 1 and "Hearing Voices" in saved_items(sms, "toolbox")[0]


async def test_more_pages_through_the_results_then_says_when_there_are_no_more(agent):
    sms = Conversation(agent, sender_id=f"sms-{uuid.uuid4()}", channel="sms")
    await sms.say("peer support")
    await sms.say("anything")
    first = await sms.say_text("skip")
    assert "MORE" in first
    second = await sms.say_text("more")
    assert names(second) and not set(names(first)) & set(names(second))
    for _ in range(6):
        last = await sms.say_text("more")
    assert "That is all I have" in last


async def test_a_carer_gets_carers_support(conversation):
    await conversation.say("I look after my son")
    await conversation.say("is there a carers group near me")
    await conversation.say("caring for someone")
    text = await conversation.say_text("skip")
    assert any("Carer" in name for name in names(text))
    await conversation.say("save 1")
    assert len(saved_items(conversation, "toolbox")) == 1


async def test_what_peer_support_is_and_stopping_the_search(conversation):
    text = await conversation.say_text("what is peer support")
    assert "your choice" in text
    await conversation.say("find peer support")
    text = await conversation.say_text("stop")
    assert "another time" in text
    assert (await conversation.tracker()).active_loop_name is None


async def test_crisis_in_the_middle_of_the_search_gets_the_contacts(conversation):
    await conversation.say("find peer support")
    text = await conversation.say_text("I want to kill myself")
    assert "116 123" in text and "85258" in text
    assert (await conversation.tracker()).active_loop_name is None


@pytest.mark.parametrize("area", ["M14", "LS6"])
async def test_near_an_area_with_nothing_listed_it_says_so_before_the_national_services(agent, area):
    sms = Conversation(agent, sender_id=f"sms-{uuid.uuid4()}", channel="sms")
    await sms.say("is there a hearing voices group near me")
    replies = await sms.say(area)
    assert replies[0].text == search.text("nothing_local")  # said plainly, before the list
    text = "\n".join(r.text for r in replies)
    assert "Hearing Voices" in text and all(not s.is_local for s in load_directory() if s.name in text)
    assert (await sms.slot("peer_district")) == area
