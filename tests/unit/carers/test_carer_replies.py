"""A coordinator's reply to a carer's message, as a plain service on the real database: who may
reply, kept encrypted, queued in the outbox to the carer (or kept for their next web chat),
audited without its words, refused when empty, too long or the carer's link has ended."""

from __future__ import annotations

from datetime import datetime, timezone
from uuid import uuid4

import pytest
from sqlalchemy import select, text

from bot.common.sms_text import MAX_SMS_CHARS
from bot.services.carers import carers, replies
from bot.services.carers.replies import ReplyOutcome
from bot.services.messaging import notices, reach
from bot.services.people.lookup import identity_for_address, person_for_address
from bot.store.audit_models import AuditEntry
from bot.store.carer_models import CarerMessage
from bot.store.dashboard_models import PersonNotice
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage
from tests.support.coordinators import enrol, make_coordinator, make_person

OPENING = "A message from Sam, care coordinator for the person you support: "


def now() -> datetime:
    return datetime.now(timezone.utc)


@pytest.fixture
def setting(migrated_database):
    """Sam's caseload has a person whose linked carer ("mum") left a message."""
    username, coordinator_id = make_coordinator(name="Sam")
    person_id = make_person()
    enrol(username, person_id, label="J.S.")
    return {"username": username, "coordinator": coordinator_id, "person": person_id}


def carer_leaves_message(person_id: str, *, texts: bool = True) -> dict[str, str]:
    """A carer linked by the person's code who leaves a message (by SMS, or by web chat)."""
    address = ("sms", f"carer-{uuid4()}") if texts else ("webchat", f"chat-{uuid4()}")
    number = f"+4477009{uuid4().int % 100000:05d}"
    with unit_of_work() as session:
        made = carers.make_code(session, person_id, "mum", now())
    with unit_of_work() as session:
        redeemed = carers.redeem(session, identity_for_address(session, *address), made.code, now())
        assert redeemed.result is carers.LinkResult.linked
    with unit_of_work() as session:
        carer_id = person_for_address(session, *address).id
        if texts:
            reach.remember_sms_number(session, carer_id, number)
        result = carers.leave_message(session, carer_id, "he has stopped his tablets", channel=address[0], now=now())
        assert result.outcome is carers.MessageOutcome.sent
    return {"carer": carer_id, "message": result.message_ids[0], "link": made.link_id, "number": number}


def reply(coordinator_id: str, person_id: str, message_id: str, words: str | None) -> replies.ReplyResult:
    with unit_of_work() as session:
        return replies.reply_to_message(session, coordinator_id, person_id, message_id, words, now())


def outbox_to(carer_id: str) -> list[OutboxMessage]:
    with unit_of_work() as session:
        rows = session.execute(
            select(OutboxMessage).where(OutboxMessage.person_id == carer_id).order_by(OutboxMessage.idempotency_key)
        ).scalars()
        return [row for row in rows if row.purpose == replies.PURPOSE]


def reply_audits(message_id: str) -> list[AuditEntry]:
    with unit_of_work() as session:
        return list(
            session.execute(
                select(AuditEntry).where(
                    AuditEntry.action == "carer_message_replied", AuditEntry.detail.contains(message_id)
                )
            ).scalars()
        )


def stored(message_id: str) -> CarerMessage:
    with unit_of_work() as session:
        message = session.get(CarerMessage, message_id)
        session.expunge(message)
        return message


def test_the_coordinator_replies_and_alongside_texts_the_carer_through_the_outbox(setting):
    left = carer_leaves_message(setting["person"])
    marker = f"Thank you, I will call him today {uuid4().hex[:6]}"
    result = reply(setting["coordinator"], setting["person"], left["message"], marker)
    assert result.outcome is ReplyOutcome.texted

    [queued] = outbox_to(left["carer"])
    assert queued.channel == "sms" and queued.recipient == left["number"]
    assert queued.body == OPENING + marker and queued.status.value == "pending"
    assert queued.idempotency_key == f"carer-reply:{left['message']}:0"

    message = stored(left["message"])
    assert message.reply_text == marker and message.replied_by == setting["coordinator"]
    assert message.replied_at is not None and message.reply_channel == "sms"
    with unit_of_work() as session:  # encrypted at rest, like the carer's own words
        raw = session.execute(
            text("SELECT text, reply_text FROM carer_messages WHERE id = :id"), {"id": left["message"]}
        ).one()
    assert "tablets" not in raw.text and marker not in raw.reply_text and "call him" not in raw.reply_text

    [entry] = reply_audits(left["message"])
    assert entry.actor_id == setting["coordinator"] and entry.actor_kind == "staff"
    assert entry.subject_person_id == setting["person"] and entry.detail.endswith("told:sms")
    assert marker not in entry.detail and "call" not in entry.detail and "Sam" not in entry.detail

    with unit_of_work() as session:  # shown under the message, with no reply box any more
        [shown] = carers.messages_for_coordinator(session, setting["coordinator"], setting["person"], now())
    assert shown.reply is not None and shown.reply.text == marker and shown.reply.yours and shown.reply.texted
    assert shown.reply.by == "Sam" and not shown.can_reply


def test_a_carer_on_web_chat_sees_the_reply_at_their_next_chat(setting):
    left = carer_leaves_message(setting["person"], texts=False)
    assert reply(setting["coordinator"], setting["person"], left["message"], "Thanks, noted.").outcome is (
        ReplyOutcome.kept_for_chat
    )
    assert outbox_to(left["carer"]) == []
    with unit_of_work() as session:
        raw = session.execute(
            text("SELECT body FROM person_notices WHERE person_id = :id"), {"id": left["carer"]}
        ).scalar_one()
        assert "Thanks, noted" not in raw  # encrypted
        assert notices.take_unseen(session, left["carer"]) == [OPENING + "Thanks, noted."]
    assert reply_audits(left["message"])[0].detail.endswith("told:next-chat")
    assert stored(left["message"]).reply_channel == "chat"


def test_only_a_coordinator_with_the_person_on_their_caseload_may_reply(setting):
    left = carer_leaves_message(setting["person"])
    other_username, other_id = make_coordinator(name="Alex")
    assert reply(other_id, setting["person"], left["message"], "Hello").outcome is ReplyOutcome.not_found
    # Nor through someone on their own caseload: the message must be about that person.
    theirs = make_person()
    enrol(other_username, theirs)
    assert reply(other_id, theirs, left["message"], "Hello").outcome is ReplyOutcome.not_found
    assert stored(left["message"]).reply_text is None
    assert outbox_to(left["carer"]) == [] and reply_audits(left["message"]) == []


def test_a_reply_cannot_be_sent_once_the_person_has_ended_the_carers_link(setting):
    left = carer_leaves_message(setting["person"])
    with unit_of_work() as session:
        assert carers.remove_link(session, setting["person"], left["link"], channel="sms", now=now())
    result = reply(setting["coordinator"], setting["person"], left["message"], "Are you still there?")
    assert result.outcome is ReplyOutcome.link_ended and not result.outcome.sent
    assert stored(left["message"]).reply_text is None
    assert outbox_to(left["carer"]) == [] and reply_audits(left["message"]) == []
    with unit_of_work() as session:
        [shown] = carers.messages_for_coordinator(session, setting["coordinator"], setting["person"], now())
        assert not shown.can_reply and shown.reply is None
        assert session.execute(select(PersonNotice).where(PersonNotice.person_id == left["carer"])).first() is None


@pytest.mark.parametrize("words", ["", "   ", "\n\t", None])
def test_an_empty_reply_is_refused_and_nothing_is_kept_or_sent(setting, words):
    left = carer_leaves_message(setting["person"])
    assert reply(setting["coordinator"], setting["person"], left["message"], words).outcome is ReplyOutcome.empty
    assert stored(left["message"]).replied_at is None and outbox_to(left["carer"]) == []


def test_a_reply_longer_than_two_texts_is_refused_and_one_that_fits_goes_as_two(setting):
    left = carer_leaves_message(setting["person"])
    limit = replies.max_reply_chars("Sam")
    assert MAX_SMS_CHARS < limit < 2 * MAX_SMS_CHARS
    too_long = reply(setting["coordinator"], setting["person"], left["message"], "word " * (limit // 5 + 1))
    assert too_long.outcome is ReplyOutcome.too_long and too_long.max_chars == limit
    assert stored(left["message"]).replied_at is None and outbox_to(left["carer"]) == []

    fits = ("We will ring him this afternoon. " * 20)[:limit].strip()
    assert reply(setting["coordinator"], setting["person"], left["message"], fits).outcome is ReplyOutcome.texted
    parts = outbox_to(left["carer"])
    assert len(parts) == 2 and all(len(part.body) <= MAX_SMS_CHARS for part in parts)
    assert parts[0].body.startswith(OPENING)
    assert " ".join(part.body for part in parts) == OPENING + fits


def test_the_same_reply_twice_goes_once_and_a_second_different_reply_is_refused(setting):
    left = carer_leaves_message(setting["person"])
    first = reply(setting["coordinator"], setting["person"], left["message"], "We have your message.")
    again = reply(setting["coordinator"], setting["person"], left["message"], "We have your message.")
    assert first.outcome is again.outcome is ReplyOutcome.texted
    other = reply(setting["coordinator"], setting["person"], left["message"], "Something else")
    assert other.outcome is ReplyOutcome.already_replied
    assert len(outbox_to(left["carer"])) == 1 and len(reply_audits(left["message"])) == 1
    assert stored(left["message"]).reply_text == "We have your message."


def test_the_reply_goes_with_the_carers_message_when_the_carer_deletes_their_data(setting):
    from bot.services.privacy import erasure

    left = carer_leaves_message(setting["person"])
    reply(setting["coordinator"], setting["person"], left["message"], "Thank you for telling us.")
    with unit_of_work() as session:
        erasure.request_erasure(session, left["carer"])
    with unit_of_work() as session:
        assert session.get(CarerMessage, left["message"]) is None


def test_the_words_around_a_reply_are_checked_when_the_content_loads(tmp_path):
    from bot.services.coordination import dashboard_content

    source = dashboard_content.DASHBOARD_CONTENT_PATH.read_text()
    broken = tmp_path / "dashboard.yml"
    broken.write_text(source.replace(": {reply}", ":"))
    with pytest.raises(ValueError, match=r"carer_reply: needs the placeholder \{reply\}"):
        dashboard_content.load_dashboard_content(broken)
