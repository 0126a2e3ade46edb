"""The right to erasure: asked for in conversation, done in that turn; the history just after.

`request_erasure` (in the person's turn, before the confirmation is sent) tells the person's
coordinator, by the name on their caseload and with no plan content, that the data was
deleted, keeps carers' messages about them for the team (bot/services/carers/carers.py,
`keep_messages_of_erased`), then deletes the person and every row about them, so on any channel nothing is shown
or shared from that moment. Rasa's history of the conversation cannot go in the same turn (the
turn is still being saved), so the request keeps its conversation ids, encrypted, and
`carry_out` (called by the worker a few seconds later) clears that history.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import utc_now
from bot.services.carers import carers
from bot.services.coordination.dashboard_content import with_dashboard_link
from bot.services.messaging import outbox
from bot.services.people.enrolment import label_for, pseudonymous_label
from bot.services.privacy import audit
from bot.services.privacy.personal_data import erase_history, erase_rows, sender_ids
from bot.services.privacy.personal_data_export import personal_data_content
from bot.store.models import CaseloadEntry, Person
from bot.store.privacy_models import ErasureRequest
from bot.store.staff_models import StaffAccount

ERASURE_DELAY = timedelta(seconds=20)


def request_erasure(session: Session, person_id: str, now: datetime | None = None) -> ErasureRequest:
    """Erase the person now and record the request; asking again while one is waiting changes nothing."""
    waiting = session.execute(
        select(ErasureRequest).where(ErasureRequest.person_id == person_id, ErasureRequest.done_at.is_(None))
    ).scalar_one_or_none()
    if waiting is not None:
        return waiting
    now = now or utc_now()
    request = ErasureRequest(
        person_id=person_id,
        requested_at=now,
        carry_out_after=now + ERASURE_DELAY,
        history_senders="\n".join(sender_ids(session, person_id)),
    )
    session.add(request)
    session.flush()
    audit.record(
        session, person_id, "erasure_requested", person_id, f"request:{request.id}", actor_kind="person", now=now
    )
    _tell_coordinators(session, request)
    _keep_carers_messages(session, person_id)
    erase_rows(session, person_id)
    session.flush()
    session.expunge_all()  # nothing of the person stays in this unit of work either
    return request


def is_gone_or_going(session: Session, person_id: str) -> bool:
    """True once a person asked to be erased (or is erased): nothing of theirs is shown any more,
    not even through a link made before they asked."""
    if session.get(Person, person_id) is None:
        return True
    return (
        session.execute(select(ErasureRequest.id).where(ErasureRequest.person_id == person_id).limit(1)).first()
        is not None
    )


def due_erasure_ids(session: Session, now: datetime | None = None) -> list[str]:
    return list(
        session.execute(
            select(ErasureRequest.id).where(
                ErasureRequest.done_at.is_(None), ErasureRequest.carry_out_after <= (now or utc_now())
            )
        ).scalars()
    )


def _tell_coordinators(session: Session, request: ErasureRequest) -> None:
    """Each coordinator learns who (by the name on their caseload), never what the plan said."""
    entries = session.execute(
        select(CaseloadEntry, StaffAccount)
        .join(StaffAccount, CaseloadEntry.coordinator_id == StaffAccount.person_id)
        .where(CaseloadEntry.service_user_id == request.person_id, CaseloadEntry.ended_at.is_(None))
    ).all()
    wording = personal_data_content()
    for entry, coordinator in entries:
        if not coordinator.notify_address:
            continue
        outbox.enqueue(
            session,
            channel=coordinator.notify_channel,
            recipient=coordinator.notify_address,
            subject=wording["coordinator_erasure_subject"],
            body=_erasure_body(coordinator.notify_channel, label_for(session, entry)),
            idempotency_key=f"erasure-{request.id}-{coordinator.person_id}",
            purpose="erasure_notice",
            person_id=coordinator.person_id,
        )


def _erasure_body(channel: str, name: str) -> str:
    body = " ".join(personal_data_content()["coordinator_erasure_notice"].split()).format(name=name)
    return with_dashboard_link(body, "/caseload") if channel == "email" else body


def _keep_carers_messages(session: Session, person_id: str) -> None:
    entries = session.execute(
        select(CaseloadEntry).where(CaseloadEntry.service_user_id == person_id, CaseloadEntry.ended_at.is_(None))
    ).scalars()
    labels = {entry.coordinator_id: label_for(session, entry) for entry in entries}
    carers.keep_messages_of_erased(session, person_id, labels, pseudonymous_label(person_id))


def carry_out(session: Session, request_id: str, now: datetime | None = None) -> None:
    """Clear the conversation history of an erased person, once the turn they asked in is saved."""
    request = session.get(ErasureRequest, request_id)
    if request is None or request.done_at is not None:
        return
    if session.get(Person, request.person_id) is not None:  # asked before erasure moved into the turn
        _tell_coordinators(session, request)
        _keep_carers_messages(session, request.person_id)
        request.history_senders = "\n".join(sender_ids(session, request.person_id))
        erase_rows(session, request.person_id)
    request.events_erased = erase_history(
        session, [each for each in (request.history_senders or "").split("\n") if each]
    )
    request.history_senders = None
    request.done_at = now or utc_now()
    # The tombstone: the person's random id and what went, never what it said.
    audit.record(
        session,
        None,
        "data_erased",
        request.person_id,
        f"request:{request.id} events:{request.events_erased}",
        actor_kind="system",
        now=request.done_at,
    )
