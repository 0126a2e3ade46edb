"""The SMS rules without Rasa: each MessageSid once, opt-out and back, HELP, crisis first,
replies split and queued with numbered choices remembered."""

from __future__ import annotations

import itertools
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from bot.common.clock import utc_now
from bot.services.messaging import outbox
from bot.services.messaging.reach import contact_for_number
from bot.services.people.lookup import person_for_address
from bot.services.privacy import audit
from bot.services.sms.content import load_sms_content
from bot.services.sms.inbound import (
    RETRY_WAITS,
    keep_for_retry,
    offered_choices,
    payload_for_reply,
    sender_id_for,
    take_in,
    take_waiting,
)
from bot.services.sms.keywords import Keyword
from bot.services.sms.turns import (
    BotReply,
    Outcome,
    decide,
    finish_turn,
    keyword_for,
    needs_crisis_check,
    needs_turn,
    reply_key_prefix,
    sms_bodies,
)
from bot.store.db import get_engine, unit_of_work
from bot.store.outbox_models import OutboxMessage, OutboxStatus
from bot.store.sms_models import SmsInboundMessage

_numbers = itertools.count(100)


def _number() -> str:
    return f"+4477009{next(_numbers):05d}"


def _sid() -> str:
    return "SM" + uuid.uuid4().hex


def _arrive(number: str, sid: str | None = None):
    with unit_of_work() as session:
        return take_in(session, sid or _sid(), number, utc_now())


def _finish(
    number: str, outcome: Outcome, replies=(), sid: str | None = None, text: str = "", crisis: bool = False
) -> list[str]:
    sid = sid or _sid()
    _arrive(number, sid)  # a second turn for the same text (a kept text answered later) takes nothing in
    with unit_of_work() as session:
        person_id = person_for_address(session, "sms", sender_id_for(number)).id
        return finish_turn(
            session,
            message_sid=sid,
            number=number,
            sender_id=sender_id_for(number),
            person_id=person_id,
            outcome=outcome,
            replies=list(replies),
            now=utc_now(),
            text=text,
            crisis=crisis,
        )


def _queued(sid: str) -> list[OutboxMessage]:
    with unit_of_work() as session:
        return list(
            session.execute(
                select(OutboxMessage)
                .where(OutboxMessage.idempotency_key.startswith(reply_key_prefix(sid)))
                .order_by(OutboxMessage.idempotency_key)
            ).scalars()
        )


def test_a_message_sid_is_taken_in_once(migrated_database):
    number, sid = _number(), _sid()
    first = _arrive(number, sid)
    again = _arrive(number, sid)
    assert first.first_time and first.person_id and not first.opted_out
    assert not again.first_time and again.person_id is None


def test_twins_arriving_together_cannot_both_get_in(migrated_database):
    """Both transactions look first and see nothing; the second insert breaks the key."""
    from bot.store.sms_models import SmsInboundMessage

    sid = _sid()
    with unit_of_work() as session:
        session.add(SmsInboundMessage(message_sid=sid, received_at=utc_now()))
    with pytest.raises(IntegrityError), unit_of_work() as session:
        session.add(SmsInboundMessage(message_sid=sid, received_at=utc_now()))
        session.flush()


def test_the_sender_id_and_the_stored_sid_hold_no_number(migrated_database):
    number, sid = _number(), _sid()
    _arrive(number, sid)
    assert number[1:] not in sender_id_for(number) and len(sender_id_for(number)) == 64
    with get_engine().connect() as connection:
        rows = connection.execute(
            text("SELECT * FROM sms_inbound_messages WHERE message_sid = :sid"), {"sid": sid}
        ).all()
    assert rows and all(number[1:] not in str(value) for value in rows[0])


@pytest.mark.parametrize(
    ("keyword", "opted_out", "crisis", "failed", "expected"),
    [
        (None, False, False, False, Outcome.replies),
        (None, False, False, True, Outcome.apology),
        (Keyword.opt_out, False, False, False, Outcome.opt_out),
        (Keyword.opt_out, False, True, False, Outcome.crisis_replies),  # never swallowed
        (Keyword.help, False, True, False, Outcome.crisis_replies),
        (Keyword.help, False, False, False, Outcome.help),
        (Keyword.help, True, False, False, Outcome.help),  # after STOP, HELP still says where help is
        (None, True, False, False, Outcome.nothing),
        (None, True, True, False, Outcome.crisis_replies),
        (Keyword.opt_in, True, False, False, Outcome.opt_in),
        (None, False, True, True, Outcome.crisis_contacts),  # the dialogue failed: contacts from content
    ],
)
def test_the_rules_in_order(keyword, opted_out, crisis, failed, expected):
    assert decide(keyword, opted_out, crisis, failed) is expected


def test_after_stop_a_request_for_the_contacts_gets_them_and_nothing_else_does():
    assert decide(None, True, False, False, asks_for_contacts=True) is Outcome.crisis_contacts
    assert decide(None, True, False, False, asks_for_contacts=False) is Outcome.nothing
    assert decide(None, False, False, False, asks_for_contacts=True) is Outcome.replies  # the dialogue answers it


def test_yes_only_opts_back_in_after_stop_and_which_texts_reach_the_dialogue():
    assert keyword_for("YES", opted_out=False) is None and keyword_for("yes", opted_out=True) is Keyword.opt_in
    assert keyword_for("stop", opted_out=False) is Keyword.opt_out
    assert needs_crisis_check(Keyword.help, False) and needs_crisis_check(None, True)
    assert not needs_crisis_check(None, False)
    assert needs_turn(None, False, False) and needs_turn(Keyword.opt_out, False, False)
    assert not needs_turn(Keyword.help, False, False) and not needs_turn(Keyword.opt_in, True, False)
    assert not needs_turn(None, True, False) and needs_turn(None, True, True)


def test_buttons_become_numbered_choices_and_long_replies_are_split():
    content = load_sms_content()
    replies = [
        BotReply("Hello, I'm Alongside."),
        BotReply(
            "Are you here for yourself?", (("For me", "/for_myself"), ("For someone I support", "/for_someone_else"))
        ),
        BotReply("Something else.", (("Crisis contacts", "/crisis_contacts"),)),
    ]
    bodies, payloads = sms_bodies(replies, content)
    assert payloads == ["/for_myself", "/for_someone_else", "/crisis_contacts"]
    joined = "\n".join(bodies)
    assert "1 For me" in joined and "2 For someone I support" in joined and "3 Crisis contacts" in joined
    long_bodies, _ = sms_bodies([BotReply("A sentence that goes on. " * 40)], content)
    assert len(long_bodies) > 1 and all(len(body) <= 320 for body in long_bodies)


def test_replies_are_queued_once_with_choices_remembered(migrated_database):
    number, sid = _number(), _sid()
    replies = [BotReply("Shall we start?", (("Yes, start it", "/affirm"), ("Not now", "/deny")))]
    bodies = _finish(number, Outcome.replies, replies, sid)
    queued = _queued(sid)
    assert [message.body for message in queued] == bodies and queued[0].purpose == "reply"
    assert queued[0].recipient == number
    with unit_of_work() as session:
        choices = offered_choices(session, sender_id_for(number))
    assert choices == ("/affirm", "/deny")
    assert payload_for_reply("2", choices) == "/deny" and payload_for_reply("3", choices) is None
    assert payload_for_reply("no", choices) is None
    _finish(number, Outcome.replies, [BotReply("Saved.")])
    with unit_of_work() as session:
        assert offered_choices(session, sender_id_for(number)) == ()


def test_stop_records_the_opt_out_and_cancels_what_is_queued_then_start_resumes(migrated_database):
    number = _number()
    waiting_sid = _sid()
    _finish(number, Outcome.replies, [BotReply("A reply still waiting to go.")], waiting_sid)
    assert _finish(number, Outcome.opt_out) == []
    with unit_of_work() as session:
        assert contact_for_number(session, number).opted_out_at is not None
    assert [message.status for message in _queued(waiting_sid)] == [OutboxStatus.cancelled]
    assert _arrive(number).opted_out
    assert _finish(number, Outcome.opt_in) == [load_sms_content().text("opted_in")]
    with unit_of_work() as session:
        assert contact_for_number(session, number).opted_out_at is None


def test_help_and_the_apology_come_from_content(migrated_database):
    assert _finish(_number(), Outcome.help) == [load_sms_content().text("help")]
    assert _finish(_number(), Outcome.apology) == [load_sms_content().text("something_went_wrong")]


def test_a_crisis_reply_is_marked_so_the_worker_sends_it_even_after_stop(migrated_database):
    number, sid = _number(), _sid()
    _finish(number, Outcome.opt_out)
    _finish(number, Outcome.crisis_replies, [BotReply("Please call 999.")], sid)
    assert [message.purpose for message in _queued(sid)] == ["crisis_reply"]
    with unit_of_work() as session:
        assert outbox.due_ids(session)  # queued, not cancelled


def test_stop_never_cancels_a_crisis_reply_waiting_to_go(migrated_database):
    number, crisis_sid, other_sid = _number(), _sid(), _sid()
    _finish(number, Outcome.crisis_replies, [BotReply("Please call 999.")], crisis_sid)
    _finish(number, Outcome.replies, [BotReply("Your plan is saved.")], other_sid)
    _finish(number, Outcome.opt_out)
    assert [message.status for message in _queued(crisis_sid)] == [OutboxStatus.pending]
    assert [message.status for message in _queued(other_sid)] == [OutboxStatus.cancelled]


def test_when_the_dialogue_fails_on_crisis_language_the_contacts_come_from_content(migrated_database):
    number, sid = _number(), _sid()
    bodies = _finish(number, Outcome.crisis_contacts, [], sid, crisis=True)
    sent = " ".join(bodies)
    assert "999" in sent and "116 123" in sent and "85258" in sent
    assert [message.purpose for message in _queued(sid)] == ["crisis_reply"] * len(bodies)
    with unit_of_work() as session:
        assert session.get(SmsInboundMessage, sid).answered_at is not None


def test_after_stop_a_request_for_the_contacts_is_answered_and_audited_without_its_text(migrated_database):
    number, sid = _number(), _sid()
    _finish(number, Outcome.opt_out)
    bodies = _finish(number, Outcome.crisis_contacts, [], sid, text="who can I call")
    assert "116 123" in " ".join(bodies)
    with unit_of_work() as session:
        person_id = person_for_address(session, "sms", sender_id_for(number)).id
        entries = [
            entry for entry in audit.entries_about(session, person_id) if entry.action == "crisis_help_after_opt_out"
        ]
    assert len(entries) == 1 and "call" not in entries[0].detail


def test_a_failed_turn_keeps_the_text_encrypted_not_answered_until_it_is(migrated_database):
    number, sid = _number(), _sid()
    now = utc_now()
    bodies = _finish(number, Outcome.apology, [], sid, text="my triggers are crowds")
    assert bodies == [load_sms_content().text("something_went_wrong")]
    with get_engine().connect() as connection:
        stored = connection.execute(
            text("SELECT * FROM sms_inbound_messages WHERE message_sid = :sid"), {"sid": sid}
        ).one()
    assert "crowds" not in str(stored) and number[1:] not in str(stored)
    with unit_of_work() as session:
        assert session.get(SmsInboundMessage, sid).answered_at is None
        assert [k for k in take_waiting(session, now) if k.message_sid == sid] == []  # not before its retry time
    with unit_of_work() as session:
        kept = take_waiting(session, now + RETRY_WAITS[0] + timedelta(seconds=5))
    assert [(k.number, k.text) for k in kept if k.message_sid == sid] == [(number, "my triggers are crowds")]
    with unit_of_work() as session:  # taken once, by one server
        assert [
            k for k in take_waiting(session, now + RETRY_WAITS[0] + timedelta(seconds=5)) if k.message_sid == sid
        ] == []
    _finish(number, Outcome.replies, [BotReply("Saved: crowds.")], sid)
    with unit_of_work() as session:
        row = session.get(SmsInboundMessage, sid)
        assert row.answered_at is not None and row.waiting_text is None and row.waiting_number is None
        assert [k for k in take_waiting(session, now + RETRY_WAITS[-1] * 3) if k.message_sid == sid] == []


def test_a_kept_text_is_given_up_after_the_last_retry(migrated_database):
    number, sid = _number(), _sid()
    _arrive(number, sid)
    now = utc_now()
    for _ in range(len(RETRY_WAITS) + 1):
        with unit_of_work() as session:
            keep_for_retry(session, sid, number, "hello", now)
    with unit_of_work() as session:
        assert session.get(SmsInboundMessage, sid).waiting_text is None
