"""One identity, by conversation: a code asked for on one channel and sent from the other
gives both channels one person and one plan; bad codes get kind replies."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from bot.security.pseudonyms import keyed_hash
from bot.services.people.code_tries import SOURCE_METADATA_KEY, source_key
from bot.services.people.identity_links import CODE_PURPOSE
from bot.services.wrap.content import load_wrap_content
from bot.settings import get_settings
from bot.store.db import unit_of_work
from bot.store.identity_link_models import LinkCode
from tests.support.in_process import Conversation
from tests.support.plan import saved_items

pytestmark = pytest.mark.slow

CODE = re.compile(r"Your code is ([A-Z0-9]{6})\.")


@pytest.fixture
def web(agent):
    return Conversation(agent, sender_id=f"web-{uuid.uuid4()}", channel="webchat")


@pytest.fixture
def sms(agent):
    return Conversation(agent, sender_id=f"sms-{uuid.uuid4()}", channel="sms")


async def code_from(conversation: Conversation, text: str = "link my phone") -> str:
    reply = await conversation.say_text(text)
    match = CODE.search(reply)
    assert match, reply
    assert f"link {match.group(1)}" in reply and str(get_settings().link_code_minutes) in reply
    return match.group(1)


async def make_triggers(conversation: Conversation, text: str) -> None:
    await conversation.say("I want to write down my triggers")
    await conversation.say(text)
    await conversation.say("stop")


async def test_a_code_made_in_the_web_chat_and_texted_from_a_phone_shares_the_plan(web, sms):
    await make_triggers(web, "crowds, loud music")
    code = await code_from(web, "use my plan on my phone")
    assert "Done" in await sms.say_text(f"link {code}")
    shown = await sms.say_text("show my triggers")
    assert "crowds" in shown and "loud music" in shown
    await make_triggers(sms, "payday")  # said by text, seen on the web
    assert saved_items(web, "triggers") == ["crowds", "loud music", "payday"]


async def test_a_code_made_by_text_and_typed_in_the_web_chat_moves_the_web_plan_across(web, sms):
    await make_triggers(web, "arguments")
    code = await code_from(sms, "link my web chat")
    reply = await web.say_text(f"my code is {code.lower()}")
    assert "The plan you made here is now your plan in both places" in reply
    assert saved_items(sms, "triggers") == ["arguments"]


async def test_two_plans_are_put_together_and_the_person_is_told(web, sms):
    await make_triggers(web, "crowds")
    await make_triggers(sms, "payday")
    code = await code_from(web)
    reply = await sms.say_text(f"link {code}")
    assert "put them together" in reply and "nothing was lost" in reply
    assert sorted(saved_items(web, "triggers")) == ["crowds", "payday"]


async def test_a_used_code_a_wrong_code_and_the_place_it_was_made(web, sms, agent):
    code = await code_from(web)
    assert "made here" in await web.say_text(f"link {code}")
    wrong = "K7P2QX" if code != "K7P2QX" else "3HW9TR"
    assert "didn't work" in await sms.say_text(f"link {wrong}")
    assert "Done" in await sms.say_text(f"link {code}")
    assert "already linked" in await sms.say_text(f"link {code}")
    someone_else = Conversation(agent, sender_id=f"sms-{uuid.uuid4()}", channel="sms")
    assert "already been used" in await someone_else.say_text(f"link {code}")
    assert "couldn't find a code" in await someone_else.say_text("my code is")


async def test_a_code_that_has_run_out(web, sms):
    code = await code_from(web)
    with unit_of_work() as session:  # as if the minutes had passed
        session.execute(
            update(LinkCode)
            .where(LinkCode.code_hash == keyed_hash(code, CODE_PURPOSE))
            .values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
        )
    assert "run out" in await sms.say_text(f"link {code}")
    assert saved_items(sms) == [] and "Done" not in await sms.say_text("hello")


async def test_too_many_wrong_codes_pause_linking_kindly(web, sms):
    code = await code_from(web)
    for guess in ("TDGM4U", "TH8JSV", "J6EMRD", "VNJ2QJ", "ERZ2ZB")[: get_settings().link_code_tries_per_hour]:
        assert "didn't work" in await sms.say_text(f"link {guess}")
    assert "paused linking for an hour" in await sms.say_text(f"link {code}")
    assert "Show my plan" in [title for reply in await sms.say("menu") for title in reply.button_titles]


async def test_throwaway_chats_from_one_place_are_paused_together_and_others_are_not(agent, web):
    """Each new web chat is a new sender with its own five tries; the place they come from
    (the channel's keyed hash of the client address) has one limit for all of them."""
    code = await code_from(web)
    place = {SOURCE_METADATA_KEY: source_key(f"192.0.2.{uuid.uuid4()}")}
    per_sender, per_source = get_settings().link_code_tries_per_hour, get_settings().code_tries_per_source_per_hour
    guesses = ("TDGM4U", "TH8JSV", "J6EMRD", "VNJ2QJ", "ERZ2ZB")[: per_sender - 1]
    tried = 0
    while tried < per_source:
        chat = Conversation(agent, sender_id=f"web-{uuid.uuid4()}", channel="webchat", metadata=place)
        for guess in guesses[: per_source - tried]:
            assert "didn't work" in await chat.say_text(f"link {guess}")
            tried += 1
    fresh_chat_same_place = Conversation(agent, sender_id=f"web-{uuid.uuid4()}", channel="webchat", metadata=place)
    assert "paused linking for an hour" in await fresh_chat_same_place.say_text(f"link {code}")
    elsewhere = {SOURCE_METADATA_KEY: source_key(f"192.0.2.{uuid.uuid4()}")}
    other_place = Conversation(agent, sender_id=f"web-{uuid.uuid4()}", channel="webchat", metadata=elsewhere)
    assert "Done" in await other_place.say_text(f"link {code}")


async def test_in_the_middle_of_the_plan_a_code_is_never_saved_as_an_answer(web, sms):
    await web.say("I want to write down my triggers")
    await web.say("crowds")
    reply = await web.say_text("link my phone")  # asked mid-question
    code = CODE.search(reply).group(1)
    assert saved_items(web, "triggers") == ["crowds"]
    await sms.say("I want to write down my triggers")
    reply = await sms.say_text(f"link {code}")
    assert "Done" in reply and load_wrap_content().question("triggers").prompt in reply  # back to the plan
    assert saved_items(sms, "triggers") == ["crowds"]  # one plan now, and no code in it
    assert not [item for item in saved_items(web) if code in item.upper()]


async def test_crisis_language_with_a_code_gets_the_crisis_reply(web, sms):
    code = await code_from(web)
    reply = await sms.say_text(f"link {code} I want to kill myself")
    assert "116 123" in reply and "85258" in reply
