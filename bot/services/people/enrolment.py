"""Putting service users on a coordinator's caseload, and reading caseloads.

Two ways in (docs/dashboard.md):
- by code: an administrator makes a one-time code ("KMTR-4829") for a coordinator; the person
  sends it in their conversation. Codes are kept only as keyed hashes, work once, expire after
  ENROLMENT_CODE_DAYS, and one person may try ENROLMENT_MAX_ATTEMPTS wrong codes an hour.
- by phone: for someone who has already texted Alongside, found by the keyed hash of the number.

Being on a caseload shares nothing by itself: the coordinator sees only what the person's
active consents cover. What the coordinator calls the person (the label given at enrolment,
perhaps a name) is encrypted and shown only on that coordinator's dashboard; without one the
dashboard shows a pseudonymous label ("Person K7QF").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import as_utc, utc_now
from bot.security.pseudonyms import keyed_hash
from bot.services.messaging.reach import number_hash
from bot.services.people import code_tries
from bot.services.people.enrolment_codes import CODE_LETTERS, find_code, new_code
from bot.services.privacy import audit
from bot.services.sms.phone_numbers import PhoneNumberError, normalise_phone
from bot.settings import get_settings
from bot.store.contact_models import SmsContact
from bot.store.dashboard_models import Enrolment
from bot.store.models import CaseloadEntry, Person, Role
from bot.store.staff_models import StaffAccount

CODE_PURPOSE = "enrolment-code"
LABEL_PURPOSE = "caseload-label"
MAX_LABEL_CHARS = 60


class EnrolmentError(ValueError):
    """Enrolment could not be done; the message says why and what to do, in plain words."""


# -- codes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: datetime


def issue_code(
    session: Session, coordinator: StaffAccount, label: str | None = None, now: datetime | None = None
) -> IssuedCode:
    """A new one-time code for this coordinator's caseload. Only its hash is stored."""
    now = now or utc_now()
    code = new_code()
    expires_at = now + timedelta(days=get_settings().enrolment_code_days)
    enrolment = Enrolment(
        coordinator_id=coordinator.person_id,
        method="code",
        code_hash=code_hash(code),
        label=check_label(label),
        created_at=now,
        expires_at=expires_at,
    )
    session.add(enrolment)
    session.flush()
    audit.record(
        session,
        None,
        "enrolment_code_issued",
        None,
        f"staff:{coordinator.person_id} enrolment:{enrolment.id}",
        actor_kind="admin",
        now=now,
    )
    return IssuedCode(code, expires_at)


def code_in_text(text: str) -> str | None:
    """The enrolment code in a message ("my code is kmtr 4829"), normalised; None if none."""
    return find_code(text)


def code_hash(code: str) -> str:
    return keyed_hash(code.upper().replace("-", "").replace(" ", ""), CODE_PURPOSE)


class Redeemed(enum.Enum):
    enrolled = "enrolled"
    already = "already"  # they were on that caseload already (or resent their own code)
    not_valid = "not_valid"  # wrong, used or expired: the same answer for all three
    too_many_tries = "too_many_tries"
    no_code = "no_code"  # the message had nothing shaped like a code


@dataclass(frozen=True)
class RedeemResult:
    outcome: Redeemed
    coordinator_name: str | None = None


def redeem_code(
    session: Session, person: Person, text: str, now: datetime | None = None, source: str | None = None
) -> RedeemResult:
    """Enrol the person whose message holds a code on that code's coordinator's caseload.
    `source` is the web chat client's code_tries.source_key (None on SMS)."""
    now = now or utc_now()
    code = code_in_text(text)
    if code is None:
        return RedeemResult(Redeemed.no_code)
    trier = code_tries.Trier(person.id, source)
    if code_tries.refusal(session, code_tries.CodeKind.enrolment, trier, now) is not None:
        return RedeemResult(Redeemed.too_many_tries)
    enrolment = session.execute(
        select(Enrolment).where(Enrolment.code_hash == code_hash(code), Enrolment.method == "code")
    ).scalar_one_or_none()
    if enrolment is not None and enrolment.used_at is not None and enrolment.person_id == person.id:
        # Their own code again (a resend): kind to say so, and it tells them nothing new.
        coordinator = session.get(StaffAccount, enrolment.coordinator_id)
        return RedeemResult(Redeemed.already, coordinator.display_name)
    if enrolment is None or enrolment.used_at is not None or as_utc(enrolment.expires_at) <= now:
        code_tries.record_wrong_try(session, code_tries.CodeKind.enrolment, trier, now, person.id)
        return RedeemResult(Redeemed.not_valid)
    coordinator = session.get(StaffAccount, enrolment.coordinator_id)
    entry, created = _add_to_caseload(session, enrolment.coordinator_id, person, now)
    enrolment.used_at = now
    enrolment.person_id = person.id
    enrolment.caseload_entry_id = entry.id
    session.flush()
    audit.record(
        session,
        person.id,
        "enrolled_by_code",
        person.id,
        f"staff:{enrolment.coordinator_id} enrolment:{enrolment.id}",
        actor_kind="person",
        now=now,
    )
    return RedeemResult(Redeemed.enrolled if created else Redeemed.already, coordinator.display_name)


# -- by phone -----------------------------------------------------------------------------------


def enrol_by_phone(
    session: Session, coordinator: StaffAccount, phone: str, label: str | None = None, now: datetime | None = None
) -> bool:
    """Enrol whoever texts from this number. True if added, False if already on the caseload."""
    now = now or utc_now()
    try:
        number = normalise_phone(phone)
    except PhoneNumberError as problem:
        raise EnrolmentError(str(problem)) from None
    contact = session.execute(
        select(SmsContact).where(SmsContact.number_hash == number_hash(number))
    ).scalar_one_or_none()
    if contact is None:
        raise EnrolmentError(
            "Nobody has texted Alongside from that number yet, so there is no one to enrol. "
            "Ask them to text Alongside first (any message), then try again. "
            "Or make them an enrolment code: python -m bot admin enrol-code "
            f"{coordinator.username}"
        )
    person = session.get(Person, contact.person_id)
    entry, created = _add_to_caseload(session, coordinator.person_id, person, now)
    enrolment = Enrolment(
        coordinator_id=coordinator.person_id,
        method="phone",
        label=check_label(label),
        created_at=now,
        used_at=now,
        person_id=person.id,
        caseload_entry_id=entry.id,
    )
    session.add(enrolment)
    session.flush()
    audit.record(
        session,
        None,
        "enrolled_by_phone",
        person.id,
        f"staff:{coordinator.person_id} enrolment:{enrolment.id}",
        actor_kind="admin",
        now=now,
    )
    return created


# -- caseloads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadPerson:
    person_id: str
    label: str
    started_at: datetime


def active_caseload(session: Session, coordinator_id: str) -> list[CaseloadPerson]:
    """The people on a coordinator's caseload now, by label."""
    entries = session.execute(
        select(CaseloadEntry).where(CaseloadEntry.coordinator_id == coordinator_id, CaseloadEntry.ended_at.is_(None))
    ).scalars()
    people = [
        CaseloadPerson(entry.service_user_id, label_for(session, entry), as_utc(entry.started_at)) for entry in entries
    ]
    return sorted(people, key=lambda person: (person.label.casefold(), person.person_id))


def active_entry(session: Session, coordinator_id: str, person_id: str) -> CaseloadEntry | None:
    """The caseload entry if this person is on this coordinator's caseload now; else None."""
    return session.execute(
        select(CaseloadEntry)
        .where(
            CaseloadEntry.coordinator_id == coordinator_id,
            CaseloadEntry.service_user_id == person_id,
            CaseloadEntry.ended_at.is_(None),
        )
        .limit(1)
    ).scalar_one_or_none()


def label_for(session: Session, entry: CaseloadEntry) -> str:
    """The newest label given at enrolment, or a pseudonymous one made from the person's id."""
    label = session.execute(
        select(Enrolment.label)
        .where(Enrolment.caseload_entry_id == entry.id, Enrolment.label.is_not(None))
        .order_by(Enrolment.used_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    return label or pseudonymous_label(entry.service_user_id)


def pseudonymous_label(person_id: str) -> str:
    digest = int(keyed_hash(person_id, LABEL_PURPOSE)[:10], 16)
    alphabet = CODE_LETTERS + "23456789"
    letters = []
    for _ in range(4):
        digest, index = divmod(digest, len(alphabet))
        letters.append(alphabet[index])
    return "Person " + "".join(letters)


def check_label(label: str | None) -> str | None:
    if label is None:
        return None
    label = " ".join(label.split())
    if not label:
        return None
    if len(label) > MAX_LABEL_CHARS:
        raise EnrolmentError(f"A label can be at most {MAX_LABEL_CHARS} characters (initials are enough).")
    if not label.isprintable():
        raise EnrolmentError("A label can only hold ordinary characters.")
    return label


def _add_to_caseload(
    session: Session, coordinator_id: str, person: Person, now: datetime
) -> tuple[CaseloadEntry, bool]:
    if person.role is Role.coordinator:
        raise EnrolmentError("A care coordinator cannot be put on a caseload.")
    if person.role is not Role.service_user:
        person.role = Role.service_user
    existing = active_entry(session, coordinator_id, person.id)
    if existing is not None:
        return existing, False
    entry = CaseloadEntry(coordinator_id=coordinator_id, service_user_id=person.id, started_at=now)
    session.add(entry)
    session.flush()
    return entry, True
