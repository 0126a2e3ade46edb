"""The SMS channel over real HTTP, with the trained agent and real Twilio signatures: who is let
in, each text processed once (also across a restart), STOP/START/HELP, crisis first, numbered
choices, no "/intent" injection, the number never the sender id, delivery reports."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from sqlalchemy import select, text

from bot.common.clock import utc_now
from bot.common.sms_text import is_gsm7
from bot.services.messaging.reach import contact_for_number
from bot.services.sms.content import load_sms_content
from bot.services.sms.inbound import sender_id_for
from bot.services.sms.turns import reply_key_prefix
from bot.settings import get_settings
from bot.store.db import get_engine, unit_of_work
from bot.store.outbox_models import OutboxMessage, OutboxStatus
from bot.store.sms_models import SmsInboundMessage
from tests.support.sms import STATUS, WEBHOOK, SmsServer, new_sid

pytestmark = pytest.mark.slow

_numbers = itertools.count(1)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response />'


@pytest.fixture
def number(migrated_database) -> str:
    return f"+4477009{20000 + next(_numbers):05d}"


@pytest.fixture
async def server(agent):
    async with SmsServer(agent) as running:
        yield running


def queued(sid: str) -> list[OutboxMessage]:
    with unit_of_work() as session:
        messages = (
            session.execute(
                select(OutboxMessage).where(OutboxMessage.idempotency_key.startswith(reply_key_prefix(sid)))
            )
            .scalars()
            .all()
        )
    return sorted(messages, key=lambda message: int(message.idempotency_key.rsplit(":", 1)[1]))


def replies(sid: str) -> str:
    return "\n".join(message.body for message in queued(sid))


async def user_texts(agent, number: str) -> list[str]:
    tracker = await agent.tracker_store.retrieve(sender_id_for(number))
    return [event.text for event in tracker.events if event.type_name == "user"] if tracker else []


def with_settings(monkeypatch, **changes) -> None:
    changed = dataclasses.replace(get_settings(), **changes)
    monkeypatch.setattr("bot.channels.sms.get_settings", lambda: changed)


# -- signatures ----------------------------------------------------------------------------------


async def test_a_signed_text_is_answered_with_empty_twiml_and_its_replies_queued(server, number):
    sid, answer = await server.text(number, "hello")
    assert (answer.status, answer.text) == (200, EMPTY_TWIML) and "xml" in answer.content_type
    body = replies(sid)
    assert "I'm Alongside" in body and "1 For me" in body and "2 For someone I support" in body
    assert all(message.recipient == number and message.purpose == "reply" for message in queued(sid))


@pytest.mark.parametrize("how", ["missing", "forged", "altered body", "wrong url", "other token"])
async def test_an_unsigned_forged_or_altered_text_is_refused_and_not_processed(server, number, how, caplog):
    sid = new_sid()
    params = {"MessageSid": sid, "From": number, "To": "+447700900000", "Body": "my secret words"}
    url = f"{server.base}{WEBHOOK}"
    signature = {
        "missing": None,
        "forged": "c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ==",
        "altered body": server.sign(url, {**params, "Body": "something else"}),
        "wrong url": server.sign(f"{server.base}/webhooks/twilio/other", params),
        "other token": server.sign(url, params, token="not-our-token"),
    }[how]
    answer = await server.post(WEBHOOK, params, signature=signature)
    assert answer.status == 403
    assert queued(sid) == [] and await user_texts(server.agent, number) == []
    with unit_of_work() as session:
        assert session.get(SmsInboundMessage, sid) is None
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Refused" in logged and "my secret words" not in logged and number not in logged


async def test_a_signed_text_with_an_empty_body_is_accepted(server, number):
    """Twilio signs blank parameters too (a picture with no words has Body="")."""
    sid, answer = await server.text(number, "")
    assert answer.status == 200 and replies(sid)  # a kind reply, not a 403 or a 500


async def test_signed_but_malformed_requests_get_a_clear_400(server, number):
    answer = await server.post(WEBHOOK, {"From": number, "Body": "hi"})
    assert answer.status == 400 and "MessageSid" in answer.text
    answer = await server.post(WEBHOOK, {"MessageSid": new_sid(), "Body": "hi"})
    assert answer.status == 400


@pytest.mark.parametrize("sender", ["<script>alert(1)</script>", "07700900123", "+44 7700 900123", "+0123456789", ""])
async def test_a_signed_text_from_a_number_that_is_not_e164_gets_400_and_nothing_is_stored(server, sender):
    sid = new_sid()
    answer = await server.post(WEBHOOK, {"MessageSid": sid, "From": sender, "Body": "hello"})
    assert answer.status == 400 and "E.164" in answer.text
    with unit_of_work() as session:
        assert session.get(SmsInboundMessage, sid) is None


async def test_behind_a_proxy_the_url_comes_from_public_base_url(server, number, monkeypatch):
    public = "https://alongside.example.org"
    with_settings(monkeypatch, public_base_url=public)
    proxy_headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "alongside.example.org"}
    sid, answer = await server.text(number, "hello", headers=proxy_headers, signed_url=f"{public}{WEBHOOK}")
    assert answer.status == 200 and replies(sid)
    # Signed for the address the server sees, not the public one: refused.
    _, answer = await server.text(number, "hello", headers=proxy_headers)
    assert answer.status == 403
    # Someone signing for their own host and claiming it in X-Forwarded-Host: refused.
    spoofed = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "attacker.example"}
    _, answer = await server.text(number, "hello", headers=spoofed, signed_url=f"https://attacker.example{WEBHOOK}")
    assert answer.status == 403


async def test_with_twilio_configured_only_its_auth_token_signs(server, number, monkeypatch):
    with_settings(
        monkeypatch,
        twilio_account_sid="AC" + "1" * 32,
        twilio_auth_token="real-twilio-token",
        twilio_number="+447700900000",
    )
    _, answer = await server.text(number, "hello")  # the development token
    assert answer.status == 403
    sid = new_sid()
    params = {"MessageSid": sid, "From": number, "To": "+447700900000", "Body": "hello"}
    signature = server.sign(f"{server.base}{WEBHOOK}", params, token="real-twilio-token")
    assert (await server.post(WEBHOOK, params, signature=signature)).status == 200 and replies(sid)


async def test_in_production_without_twilio_nothing_is_accepted(server, number, monkeypatch):
    with_settings(monkeypatch, environment="production")
    _, answer = await server.text(number, "hello")
    assert answer.status == 403


# -- once per MessageSid -------------------------------------------------------------------------


async def test_a_replayed_text_is_acknowledged_and_not_processed_again(server, number):
    sid, first = await server.text(number, "I want to write down my triggers")
    count = len(queued(sid))
    _, again = await server.text(number, "I want to write down my triggers", sid=sid)
    assert first.status == again.status == 200 and again.text == EMPTY_TWIML
    assert len(queued(sid)) == count > 0
    assert await user_texts(server.agent, number) == ["I want to write down my triggers"]


async def test_a_replay_after_a_restart_is_not_processed_again(agent, number):
    async with SmsServer(agent) as before:
        sid, _ = await before.text(number, "hello")
    count = len(queued(sid))
    async with SmsServer(agent) as after:  # a new app and channel, the same database
        _, again = await after.text(number, "hello", sid=sid)
    assert again.status == 200 and len(queued(sid)) == count
    assert await user_texts(agent, number) == ["hello"]


# -- who is talking ------------------------------------------------------------------------------


async def test_the_sender_id_is_a_keyed_hash_and_the_number_is_stored_only_encrypted(server, number):
    await server.text(number, "hello")
    tracker = await server.agent.tracker_store.retrieve(sender_id_for(number))
    assert tracker is not None and tracker.get_latest_input_channel() == "sms"
    digits = number.lstrip("+")
    with get_engine().connect() as connection:
        for table in ("events", "sms_contacts", "channel_identities", "outbox_messages", "sms_inbound_messages"):
            dump = " ".join(str(row) for row in connection.execute(text(f"SELECT * FROM {table}")))
            assert digits not in dump, table
    with unit_of_work() as session:
        assert contact_for_number(session, number).number == number


# -- STOP, START, HELP, crisis -------------------------------------------------------------------


async def test_stop_then_nothing_is_sent_until_start(server, number):
    await server.text(number, "I want to write down my triggers")
    stop_sid, answer = await server.text(number, "STOP")
    assert answer.status == 200 and queued(stop_sid) == []
    with unit_of_work() as session:
        assert contact_for_number(session, number).opted_out_at is not None
    quiet_sid, _ = await server.text(number, "hello")
    assert queued(quiet_sid) == []
    start_sid, _ = await server.text(number, "Start")
    assert replies(start_sid) == load_sms_content().text("opted_in")
    with unit_of_work() as session:
        assert contact_for_number(session, number).opted_out_at is None
    back_sid, _ = await server.text(number, "hello")
    assert "Alongside" in replies(back_sid)


async def test_stop_also_stops_the_plan_question_in_progress(server, number):
    await server.text(number, "I want to write down my triggers")
    await server.text(number, "crowds")
    await server.text(number, "stop")
    await server.text(number, "yes")  # opts back in; not taken as a plan answer
    sid, _ = await server.text(number, "noise")  # no longer inside the plan
    with unit_of_work() as session:
        from bot.services.people.lookup import person_for_address
        from bot.services.wrap import plan as wrap

        plan = wrap.plan_for(session, person_for_address(session, "sms", sender_id_for(number)).id)
        assert [item.text for item in wrap.current_items(session, plan)] == ["crowds"]
    assert replies(sid)


async def test_pending_texts_are_cancelled_by_stop(server, number):
    sid, _ = await server.text(number, "hello")
    assert queued(sid) and all(message.status is OutboxStatus.pending for message in queued(sid))
    await server.text(number, "unsubscribe")
    assert all(message.status is OutboxStatus.cancelled for message in queued(sid))


async def test_help_says_what_this_is_how_to_stop_and_where_to_get_help(server, number):
    sid, _ = await server.text(number, "HELP")
    body = replies(sid)
    assert body == load_sms_content().text("help")
    assert "Alongside" in body and "STOP" in body and "999" in body and "116 123" in body
    assert await user_texts(server.agent, number) == []  # not a dialogue turn


@pytest.mark.parametrize("message", ["STOP I want to kill myself", "help me I want to die", "end it all"])
async def test_a_crisis_message_with_a_keyword_in_it_gets_the_crisis_contacts(server, number, message):
    sid, _ = await server.text(number, message)
    body = replies(sid)
    assert "116 123" in body and "85258" in body and "999" in body
    with unit_of_work() as session:
        assert contact_for_number(session, number).opted_out_at is None


async def test_after_stop_a_crisis_message_still_gets_the_contacts(server, number):
    await server.text(number, "STOP")
    sid, _ = await server.text(number, "I want to kill myself")
    assert "116 123" in replies(sid)
    assert {message.purpose for message in queued(sid)} == {"crisis_reply"}


async def test_a_stop_word_goes_through_nlu_before_it_opts_out(server, number, monkeypatch):
    """If NLU reads a keyword text as crisis, it is answered as crisis, not as an opt-out."""
    checked = []

    async def crisis_parse(text):
        checked.append(text)
        return {"intent": {"name": "crisis", "confidence": 1.0}, "entities": [], "text": text}

    monkeypatch.setattr(server.agent, "parse_message", crisis_parse)
    sid, _ = await server.text(number, "END")
    assert checked == ["END"]
    with unit_of_work() as session:
        assert contact_for_number(session, number).opted_out_at is None
    assert queued(sid) and {message.purpose for message in queued(sid)} == {"crisis_reply"}


# -- rate limit ----------------------------------------------------------------------------------


async def test_a_number_over_its_rate_limit_is_asked_once_to_slow_down_but_a_crisis_gets_through(
    server, number, monkeypatch
):
    with_settings(monkeypatch, chat_rate_limit_messages=3, chat_rate_limit_window_seconds=60)
    for _ in range(3):
        sid, _ = await server.text(number, "hello")
        assert "Alongside" in replies(sid)
    slow_sid, answer = await server.text(number, "I want to write down my triggers")
    assert answer.status == 200 and replies(slow_sid) == load_sms_content().text("slow_down")
    quiet_sid, answer = await server.text(number, "hello again")
    assert answer.status == 200 and queued(quiet_sid) == []  # one warning, not a text per text
    assert await user_texts(server.agent, number) == ["hello"] * 3  # the texts over the limit were not taken in
    crisis_sid, _ = await server.text(number, "I want to kill myself")
    assert "116 123" in replies(crisis_sid) and {m.purpose for m in queued(crisis_sid)} == {"crisis_reply"}
    contacts_sid, _ = await server.text(number, "crisis numbers")  # asking for the contacts also gets through
    assert "116 123" in replies(contacts_sid)
    stop_sid, _ = await server.text(number, "STOP")  # an opt-out is always honoured
    with unit_of_work() as session:
        assert contact_for_number(session, number).opted_out_at is not None
    other_sid, _ = await server.text(f"{number[:-1]}9" if number[-1] != "9" else f"{number[:-1]}8", "hello")
    assert "Alongside" in replies(other_sid)  # every number has its own limit


# -- what reaches the dialogue -------------------------------------------------------------------


async def test_slash_intent_injection_is_read_as_words(server, number):
    sid, _ = await server.text(number, "/bot_challenge")
    assert "computer program" not in replies(sid) and "didn't understand" in replies(sid)
    sid, _ = await server.text(number, '/crisis_contacts{"x": 1}')
    assert await user_texts(server.agent, number) == ["bot_challenge", 'crisis_contacts{"x": 1}']


async def test_numbered_choices_a_number_or_the_words_all_work(server, agent, number):
    await server.text(number, "hello")
    sid, _ = await server.text(number, "1")
    assert "here for yourself" in replies(sid)
    other = f"+4477009{29000 + next(_numbers):05d}"
    await server.text(other, "hello")
    sid, _ = await server.text(other, "for someone I support")
    assert "Thank you for supporting them" in replies(sid)
    third = f"+4477009{29000 + next(_numbers):05d}"
    await server.text(third, "hello")
    sid, _ = await server.text(third, "2.")
    assert "Thank you for supporting them" in replies(sid)
    sid, _ = await server.text(third, "9")  # no ninth choice: read as words
    assert "Thank you for supporting them" not in replies(sid)


async def test_long_replies_are_split_into_plain_sms(server, number):
    sid, _ = await server.text(number, "I want to kill myself")
    bodies = [message.body for message in queued(sid)]
    assert len(bodies) >= 2
    assert all(len(body) <= 320 and is_gsm7(body) for body in bodies)


# -- delivery reports ----------------------------------------------------------------------------


async def test_signed_status_reports_update_delivery_state_in_order(server, number):
    sid, _ = await server.text(number, "hello")
    provider_id = "SM" + "ab" * 16
    with unit_of_work() as session:
        message = session.get(OutboxMessage, queued(sid)[0].id)
        message.status, message.provider_id, message.sent_at = OutboxStatus.sent, provider_id, utc_now()
    for state in ("delivered", "sent", "queued"):  # out of order
        answer = await server.post(STATUS, {"MessageSid": provider_id, "MessageStatus": state, "To": number})
        assert answer.status == 204
    forged = await server.post(STATUS, {"MessageSid": provider_id, "MessageStatus": "failed"}, signature="AAAA")
    assert forged.status == 403
    unknown = await server.post(STATUS, {"MessageSid": "SM" + "cd" * 16, "MessageStatus": "delivered"})
    assert unknown.status == 204
    with unit_of_work() as session:
        assert session.get(OutboxMessage, queued(sid)[0].id).delivery_status == "delivered"


async def test_a_carrier_opt_out_reported_by_twilio_is_recorded(server, number):
    sid, _ = await server.text(number, "hello")
    first = queued(sid)[0]
    with unit_of_work() as session:
        message = session.get(OutboxMessage, first.id)
        message.status, message.provider_id = OutboxStatus.sent, "SM" + "ef" * 16
    answer = await server.post(
        STATUS, {"MessageSid": "SM" + "ef" * 16, "MessageStatus": "undelivered", "ErrorCode": "21610"}
    )
    assert answer.status == 204
    with unit_of_work() as session:
        assert contact_for_number(session, number).opted_out_at is not None


# -- from text to Twilio -------------------------------------------------------------------------


async def test_the_replies_reach_twilio_through_the_worker_once(server, number, tmp_path):
    import asyncio

    from bot.services.messaging import dispatch
    from bot.services.messaging.email_delivery import EmailSinkSender
    from bot.services.messaging.sms_delivery import TwilioSender
    from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, TWILIO_NUMBER, FakeTwilio

    sid, _ = await server.text(number, "hello")
    settings = dataclasses.replace(
        get_settings(), twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN, twilio_number=TWILIO_NUMBER
    )
    with FakeTwilio() as fake:
        senders = dispatch.Senders(
            sms=TwilioSender(settings, http_client=fake.http_client()), email=EmailSinkSender(tmp_path / "email.jsonl")
        )
        await asyncio.to_thread(dispatch.run_once, None, senders)  # blocking: off the event loop
        await asyncio.to_thread(dispatch.run_once, None, senders)
        sent = [message["body"] for message in fake.sent_to(number)]
    assert sent == [message.body for message in queued(sid)]
    assert all(message.status is OutboxStatus.sent for message in queued(sid))
