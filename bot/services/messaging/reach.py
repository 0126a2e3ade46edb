"""Send a person a message outside a conversation turn (an acknowledgement, a check-in...).

Today a person can be reached by SMS when we have their number and they have not opted out
(STOP); the message is queued in the outbox inside the caller's unit of work. Returns whether
anything was queued, so callers can fall back (for example, show it at their next web chat).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import utc_now
from bot.security.pseudonyms import keyed_hash
from bot.services.messaging import outbox
from bot.store.contact_models import SmsContact

NUMBER_PURPOSE = "sms-number"


def number_hash(number: str) -> str:
    return keyed_hash(number, NUMBER_PURPOSE)


def remember_sms_number(session: Session, person_id: str, number: str) -> SmsContact:
    """Record (or refresh) the number a person texts us from."""
    contact = contact_for_number(session, number)
    if contact is None:
        contact = SmsContact(person_id=person_id, number_hash=number_hash(number), number=number)
        session.add(contact)
    contact.person_id = person_id
    contact.last_inbound_at = utc_now()
    session.flush()
    return contact


def contact_for_number(session: Session, number: str) -> SmsContact | None:
    return session.execute(select(SmsContact).where(SmsContact.number_hash == number_hash(number))).scalar_one_or_none()


def reachable_sms_contact(session: Session, person_id: str) -> SmsContact | None:
    """The number the person last texted from, unless they opted out."""
    return session.execute(
        select(SmsContact)
        .where(SmsContact.person_id == person_id, SmsContact.opted_out_at.is_(None))
        .order_by(SmsContact.last_inbound_at.desc().nullslast(), SmsContact.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def tell_person(session: Session, person_id: str, body: str, *, idempotency_key: str, purpose: str) -> bool:
    contact = reachable_sms_contact(session, person_id)
    if contact is None:
        return False
    outbox.enqueue(
        session,
        channel="sms",
        recipient=contact.number,
        body=body,
        idempotency_key=idempotency_key,
        purpose=purpose,
        person_id=person_id,
    )
    return True
