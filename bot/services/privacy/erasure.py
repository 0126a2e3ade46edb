"""The right to erasure: asked for in conversation, carried out by the worker shortly after.

`request_erasure` records the request (in the person's turn). `carry_out_due_erasures` (called
by the worker) tells the person's coordinator, content-free, that the plan was removed, then
deletes the person, every row about them and their conversation history
(bot/services/personal_data.erase), each request in its own transaction.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.privacy import audit

from bot.services.messaging import outbox
from bot.services.privacy.personal_data import erase
from bot.services.privacy.personal_data_export import personal_data_content
from bot.common.clock import utc_now
from bot.store.models import CaseloadEntry, Person
from bot.store.privacy_models import ErasureRequest
from bot.store.staff_models import StaffAccount

ERASURE_DELAY = timedelta(seconds=20)


def request_erasure(session: Session, person_id: str, now: datetime | None = None) -> ErasureRequest:
    """Record the request once; asking again while one is waiting changes nothing."""
    waiting = session.execute(
        select(ErasureRequest).where(ErasureRequest.person_id == person_id, ErasureRequest.done_at.is_(None))
    ).scalar_one_or_none()
    if waiting is not None:
        return waiting
    now = now or utc_now()
    request = ErasureRequest(person_id=person_id, requested_at=now, carry_out_after=now + ERASURE_DELAY)
    session.add(request)
    session.flush()
    audit.record(session, person_id, "erasure_requested", person_id, f"request:{request.id}", actor_kind="person", now=now)
    return request


def is_gone_or_going(session: Session, person_id: str) -> bool:
    """True once a person asked to be erased (or is erased): nothing of theirs is shown any more,
    not even through a link made before they asked."""
    if session.get(Person, person_id) is None:
        return True
    return session.execute(
        select(ErasureRequest.id).where(ErasureRequest.person_id == person_id).limit(1)
    ).first() is not None


def due_erasure_ids(session: Session, now: datetime | None = None) -> list[str]:
    return list(session.execute(
        select(ErasureRequest.id).where(
            ErasureRequest.done_at.is_(None), ErasureRequest.carry_out_after <= (now or utc_now())
        )
    ).scalars())


def _tell_coordinators(session: Session, request: ErasureRequest) -> None:
    coordinators = session.execute(
        select(StaffAccount).join(CaseloadEntry, CaseloadEntry.coordinator_id == StaffAccount.person_id).where(
            CaseloadEntry.service_user_id == request.person_id, CaseloadEntry.ended_at.is_(None)
        )
    ).scalars().all()
    for coordinator in coordinators:
        if not coordinator.notify_address:
            continue
        outbox.enqueue(
            session, channel=coordinator.notify_channel, recipient=coordinator.notify_address,
            subject=personal_data_content()["coordinator_erasure_subject"], body=" ".join(personal_data_content()["coordinator_erasure_notice"].split()),
            idempotency_key=f"erasure-{request.id}-{coordinator.person_id}", purpose="erasure_notice",
            person_id=coordinator.person_id,
        )


def carry_out(session: Session, request_id: str, now: datetime | None = None) -> None:
    """Erase one person. The caller's unit of work makes it all-or-nothing."""
    request = session.get(ErasureRequest, request_id)
    if request is None or request.done_at is not None:
        return
    _tell_coordinators(session, request)
    request.events_erased = erase(session, request.person_id)
    request.done_at = now or utc_now()
    # The tombstone: the person's random id and what went, never what it said.
    audit.record(
        session, None, "data_erased", request.person_id, f"request:{request.id} events:{request.events_erased}",
        actor_kind="system", now=request.done_at,
    )
