"""Erasure straight through the service: the person's rows go in the turn they ask (issue 22.3),
their conversation history when the worker runs, and the coordinator is told who, by the name
on the caseload, with no plan content (issue 22.4)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from bot.common.clock import utc_now
from bot.services.people.lookup import identity_for_address
from bot.services.privacy import erasure
from bot.store.db import unit_of_work
from bot.store.models import Person
from bot.store.outbox_models import OutboxMessage
from bot.store.privacy_models import ErasureRequest
from tests.support.coordinators import enrol, make_coordinator, save_plan
from tests.support.privacy import everything_stored

pytestmark = pytest.mark.usefixtures("migrated_database")


def _person_with_plan(marker: str) -> tuple[str, str]:
    sender = f"erase-unit-{uuid.uuid4()}"
    with unit_of_work() as session:
        person_id = identity_for_address(session, "sms", sender).person_id
    save_plan(person_id, {"triggers": f"crowds {marker}"})
    return person_id, sender


def test_asking_erases_the_rows_at_once_and_the_worker_only_clears_history():
    marker = f"tern{uuid.uuid4().hex[:8]}"
    person_id, sender = _person_with_plan(marker)
    now = utc_now()
    with unit_of_work() as session:
        request_id = erasure.request_erasure(session, person_id, now).id
    with unit_of_work() as session:
        assert session.get(Person, person_id) is None
        assert erasure.is_gone_or_going(session, person_id)
        assert request_id not in erasure.due_erasure_ids(session, now), "history waits for the turn to be saved"
    assert marker not in everything_stored(with_history=False)
    with unit_of_work() as session:
        raw = session.execute(text("SELECT history_senders FROM erasure_requests WHERE id = :id"), {"id": request_id})
        assert sender not in raw.scalar_one(), "the conversation id is kept encrypted"

    with unit_of_work() as session:
        assert request_id in erasure.due_erasure_ids(session, now + erasure.ERASURE_DELAY)
        erasure.carry_out(session, request_id, now + erasure.ERASURE_DELAY)
    with unit_of_work() as session:
        request = session.get(ErasureRequest, request_id)
        assert request.done_at is not None and request.history_senders is None


def test_the_coordinator_is_told_who_by_the_caseload_name_and_nothing_of_the_plan():
    marker = f"skua{uuid.uuid4().hex[:8]}"
    person_id, _ = _person_with_plan(marker)
    username, coordinator_id = make_coordinator()
    enrol(username, person_id, label="Jo Bloggs")
    with unit_of_work() as session:
        erasure.request_erasure(session, person_id, utc_now() - timedelta(seconds=1))
    with unit_of_work() as session:
        notice = session.execute(
            select(OutboxMessage).where(
                OutboxMessage.person_id == coordinator_id, OutboxMessage.purpose == "erasure_notice"
            )
        ).scalar_one()
        assert "Jo Bloggs" in notice.body and marker not in notice.body and "crowds" not in notice.body


def test_a_carers_message_about_the_person_is_kept_for_the_team_without_the_person():
    from bot.services.carers import carers
    from bot.store.carer_models import CarerMessage

    marker = f"shag{uuid.uuid4().hex[:8]}"
    person_id, _ = _person_with_plan(marker)
    username, coordinator_id = make_coordinator()
    enrol(username, person_id, label="Jo Bloggs")
    now = utc_now()
    with unit_of_work() as session:
        made = carers.make_code(session, person_id, "mum", now)
        carer = identity_for_address(session, "sms", f"carer-{uuid.uuid4()}")
        assert carers.redeem(session, carer, made.code, now).result is carers.LinkResult.linked
        carer_id = carer.person_id
    with unit_of_work() as session:
        message_id = carers.leave_message(
            session, carer_id, "she has stopped her tablets", channel="sms", now=now
        ).message_ids[0]
        erasure.request_erasure(session, person_id, now)
    with unit_of_work() as session:
        kept = session.get(CarerMessage, message_id)
        assert kept is not None and kept.about_person_id is None and kept.about_label == "Jo Bloggs"
        assert kept.coordinator_id == coordinator_id and kept.text == "she has stopped her tablets"
        shown = carers.messages_about_erased(session, coordinator_id, now)
        assert [(each.about, each.message.text, each.message.new) for each in shown] == [
            ("Jo Bloggs", "she has stopped her tablets", True)
        ]
    assert marker not in everything_stored(with_history=False)
