"""Carers' messages on the dashboard, over HTTP against `python -m bot web`: they reach the
coordinator of the person they are about (with no consent needed), are counted on the
caseload, marked new once, audited when read, and seen by no other coordinator."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import select

from bot.services.carers import carers
from bot.services.people.lookup import identity_for_address, person_for_address
from bot.store.audit_models import AuditEntry
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage
from tests.support.coordinators import enrol, make_coordinator, make_person, save_plan


def carer_leaves_message(person_id: str, text: str) -> str:
    """A carer linked by a code the person made (nothing shared), who leaves a message."""
    now = datetime.now(timezone.utc)
    address = ("sms", f"carer-{uuid.uuid4()}")
    with unit_of_work() as session:
        made = carers.make_code(session, person_id, "mum", now)
    with unit_of_work() as session:
        assert (
            carers.redeem(session, identity_for_address(session, *address), made.code, now).result
            is carers.LinkResult.linked
        )
    with unit_of_work() as session:
        result = carers.leave_message(session, person_for_address(session, *address).id, text, channel="sms", now=now)
        assert result.outcome is carers.MessageOutcome.sent
        return result.message_ids[0]


def test_a_carers_message_reaches_the_coordinator_on_the_persons_page(browser):
    username, coordinator_id = make_coordinator(name="Sam")
    person_id = make_person()
    enrol(username, person_id, label="J.S.")
    save_plan(person_id, {"triggers": "payday secret-trigger"})  # never shared
    marker = f"stopped his tablets {uuid.uuid4().hex[:6]}"
    message_id = carer_leaves_message(person_id, marker)
    with unit_of_work() as session:
        note = session.execute(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == f"carer-message:{message_id}")
        ).scalar_one()
        assert note.subject and "tablets" not in note.body and "tablets" not in note.subject
        assert f"/people/{person_id}" in note.body  # issue 22.8: the page to open, no health data

    caseload = browser.sign_in(username)
    assert "1 new message from carers" in caseload.text and marker not in caseload.text
    page = browser.get(f"/people/{person_id}")
    assert page.status_code == 200 and "Messages from carers" in page.text
    assert marker in page.text and "New" in page.text
    assert "secret-trigger" not in page.text  # the plan is still shared by consent only
    again = browser.get(f"/people/{person_id}")
    assert marker in again.text and '<span class="tag">New</span> <span class="from">' not in again.text
    assert "new message from carers" not in browser.get("/caseload").text
    with unit_of_work() as session:
        views = (
            session.execute(
                select(AuditEntry).where(
                    AuditEntry.action == "carer_messages_viewed", AuditEntry.subject_person_id == person_id
                )
            )
            .scalars()
            .all()
        )
    assert len(views) == 2 and all(v.actor_id == coordinator_id and "tablets" not in v.detail for v in views)


def test_another_coordinator_never_sees_a_carers_message(browser):
    username, _ = make_coordinator(name="Sam")
    person_id = make_person()
    enrol(username, person_id)
    marker = f"worried about him {uuid.uuid4().hex[:6]}"
    carer_leaves_message(person_id, marker)
    other, _ = make_coordinator(name="Alex")
    browser.sign_in(other)
    assert "new message from carers" not in browser.get("/caseload").text
    reply = browser.get(f"/people/{person_id}")
    assert reply.status_code == 404 and marker not in reply.text


def test_a_carers_message_stays_for_the_team_when_the_person_deletes_their_data(browser):
    """Issue 22.4: the carer's words are the carer's and the team's record; the person's plan goes."""
    from bot.services.privacy import erasure

    username, coordinator_id = make_coordinator(name="Sam")
    person_id = make_person()
    enrol(username, person_id, label="Jo B.")
    save_plan(person_id, {"triggers": "payday secret-trigger"})
    marker = f"she has stopped her tablets {uuid.uuid4().hex[:6]}"
    carer_leaves_message(person_id, marker)
    with unit_of_work() as session:
        erasure.request_erasure(session, person_id)

    caseload = browser.sign_in(username)
    assert caseload.status_code == 200
    assert (
        "people who deleted their data" in caseload.text and marker in caseload.text and "About Jo B." in caseload.text
    )
    assert "secret-trigger" not in caseload.text
    with unit_of_work() as session:
        notice = session.execute(
            select(OutboxMessage).where(
                OutboxMessage.person_id == coordinator_id, OutboxMessage.purpose == "erasure_notice"
            )
        ).scalar_one()
        assert "Jo B." in notice.body and "tablets" not in notice.body and "/caseload" in notice.body
        viewed = (
            session.execute(
                select(AuditEntry).where(
                    AuditEntry.action == "carer_messages_viewed", AuditEntry.actor_id == coordinator_id
                )
            )
            .scalars()
            .all()
        )
        assert viewed
