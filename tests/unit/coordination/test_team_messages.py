"""A person's own message for their coordinator (bot/services/coordination/team_messages.py), on
the real database: stored encrypted for the coordinator of the moment, a content-free notice,
marked read when the coordinator opens it, the person told who read it (by text, or at their
next chat), counted on the caseload, in the person's export and not the coordinator's, and gone
when the person deletes their data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from bot.common.clock import utc_now
from bot.services.coordination import team_messages
from bot.services.coordination.dashboard_content import load_dashboard_content
from bot.services.coordination.team_messages import SendOutcome
from bot.services.messaging import notices
from bot.services.privacy import personal_data
from bot.store.audit_models import AuditEntry
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage
from bot.store.team_message_models import TeamMessage
from tests.support.coordinators import enrol, make_coordinator, make_person

WORDS = "the team never rang back after my review and I am fed up"


def send(person_id: str, words: str = WORDS, when=None) -> team_messages.SendResult:
    with unit_of_work() as session:
        return team_messages.send(session, person_id, words, channel="webchat", now=when or utc_now())


@pytest.fixture
def on_sams_caseload(migrated_database) -> tuple[str, str]:
    username, coordinator_id = make_coordinator(name="Sam", notify="email")
    person_id = make_person()
    enrol(username, person_id)
    return person_id, coordinator_id


def test_a_message_reaches_the_coordinator_encrypted_with_a_notice_that_says_nothing_of_it(on_sams_caseload):
    person_id, coordinator_id = on_sams_caseload
    result = send(person_id)
    assert result.outcome is SendOutcome.sent and result.coordinator_name == "Sam"
    with unit_of_work() as session:
        stored = session.get(TeamMessage, result.message_id)
        assert stored.coordinator_id == coordinator_id and stored.text == WORDS
        raw = session.execute(text("select text from team_messages where id = :id"), {"id": result.message_id})
        assert "never rang" not in raw.scalar_one()
        [notice] = session.execute(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == f"team-message:{result.message_id}")
        ).scalars()
        assert "rang" not in notice.body and "fed up" not in notice.body
        assert notice.subject == load_dashboard_content().text("team_message_subject")
        assert f"/people/{person_id}" in notice.body
        audited = session.execute(select(AuditEntry.action).where(AuditEntry.subject_person_id == person_id)).scalars()
        assert "team_message_sent" in set(audited)


def test_nothing_is_kept_when_there_is_no_coordinator_to_send_it_to(migrated_database):
    person_id = make_person()
    assert send(person_id).outcome is SendOutcome.no_coordinator
    with unit_of_work() as session:
        assert session.execute(select(TeamMessage).where(TeamMessage.person_id == person_id)).scalars().all() == []


def test_an_empty_message_is_refused(on_sams_caseload):
    person_id, _ = on_sams_caseload
    with pytest.raises(ValueError):
        send(person_id, "   ")


def test_opening_it_marks_it_read_and_tells_the_person_who_read_it_once(on_sams_caseload):
    person_id, coordinator_id = on_sams_caseload
    sent_at = utc_now()
    send(person_id, when=sent_at)
    later = sent_at + timedelta(hours=2)
    with unit_of_work() as session:
        assert team_messages.unread_counts(session, coordinator_id) == {person_id: 1}
        [shown] = team_messages.messages_for_coordinator(session, coordinator_id, person_id, later)
        assert shown.new and shown.text == WORDS
    with unit_of_work() as session:
        [again] = team_messages.messages_for_coordinator(session, coordinator_id, person_id, later)
        assert not again.new
        assert team_messages.unread_counts(session, coordinator_id) == {}
        # No number to text: the person hears at their next conversation, once.
        told = notices.take_unseen(session, person_id, later)
    assert len(told) == 1 and told[0].startswith("Sam has read the message you sent on")
    assert "never rang" not in told[0]


def test_the_person_is_told_by_text_when_they_text(migrated_database):
    username, coordinator_id = make_coordinator(name="Sam")
    person_id = make_person(number="+447700900123")
    enrol(username, person_id)
    send(person_id)
    with unit_of_work() as session:
        team_messages.messages_for_coordinator(session, coordinator_id, person_id)
        texts = session.execute(
            select(OutboxMessage).where(
                OutboxMessage.purpose == team_messages.READ_PURPOSE, OutboxMessage.person_id == person_id
            )
        ).scalars()
        [sms] = list(texts)
        assert sms.channel == "sms" and sms.body.startswith("Sam has read")


def test_the_message_is_the_persons_data_not_the_coordinators_and_goes_when_they_erase(on_sams_caseload):
    person_id, coordinator_id = on_sams_caseload
    send(person_id)
    with unit_of_work() as session:
        assert personal_data.collect(session, person_id).count("team_messages") == 1
        assert personal_data.collect(session, coordinator_id).count("team_messages") == 0
        personal_data.erase_rows(session, person_id)
    with unit_of_work() as session:
        assert session.execute(select(TeamMessage).where(TeamMessage.person_id == person_id)).scalars().all() == []
