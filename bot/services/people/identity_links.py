"""One person on SMS and web chat: linking the two with a short one-time code.

On one channel a person asks for a code ("link my phone"). On the other they send it ("link
K7P2QX"). The identity that sends it joins the person who asked for it, so both channels
reach one person and one plan.

- A code is 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L), with at least one
  letter and one digit (so ordinary words are never read as a code). It lasts LINK_CODE_MINUTES,
  works once, and only its keyed hash is stored. Asking again replaces the earlier code.
- It cannot be sent from where it was made (that would link nothing).
- Wrong, run-out and used codes count as wrong tries: LINK_CODE_TRIES_PER_HOUR per identity,
  and the per-source and overall limits of bot/services/people/code_tries.py (so many throw-away
  web chats cannot guess codes together). Past any, nothing is checked for a while and the
  person is told kindly.
- The code is found in the message text here, by a regular expression, after the message has
  gone through NLU like any other: never by skipping NLU.
- Joining: every identity of the person who sent the code moves to the person who asked for it,
  with their plan (bot/services/people/plan_merge.py: moved if only one side had one, else combined),
  their role if the other did not have one, and every other record of theirs: caseload
  entries, goals, check-ins, recovery meanings, consent choices, carers' links
  (bot/services/people/records.py). The person left behind is kept, with a PersonMerge row
  saying where they went, so nothing is silently lost.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.security.pseudonyms import keyed_hash
from bot.services.people import code_tries
from bot.services.people.plan_merge import PlanOutcome, merge_plans
from bot.services.people.records import move_person_records
from bot.settings import get_settings
from bot.store.identity_link_models import LinkCode, PersonMerge
from bot.store.models import ChannelIdentity, Person, Role

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
CODE_PURPOSE = "link-code"
KEEP_RECORDS = timedelta(days=1)  # run-out codes are tidied away after this
_DIGITS = frozenset("23456789")
# Two groups of three may be split by a space or dash ("K7P 2QX"), as people copy codes.
_CANDIDATE = re.compile(r"(?<![A-Z0-9])([A-Z0-9]{3})[ -]?([A-Z0-9]{3})(?![A-Z0-9])")


class LinkResult(str, Enum):
    linked = "linked"
    already_linked = "already_linked"  # this identity already belongs to the code's person
    same_place = "same_place"  # sent from the identity that asked for it
    no_code = "no_code"  # no code in the message
    wrong = "wrong"
    expired = "expired"
    used = "used"
    too_many_tries = "too_many_tries"


@dataclass(frozen=True)
class MadeCode:
    code: str
    minutes: int


@dataclass(frozen=True)
class Redeemed:
    result: LinkResult
    plan: PlanOutcome | None = None


def is_code(text: str) -> bool:
    return (
        len(text) == CODE_LENGTH
        and all(char in CODE_ALPHABET for char in text)
        and any(char in _DIGITS for char in text)
        and any(char.isalpha() for char in text)
    )


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if is_code(code):
            return code


def find_code(text: str) -> str | None:
    """The first thing in the text that is shaped like a link code, in capitals, or None."""
    for first, second in _CANDIDATE.findall((text or "").upper()):
        if is_code(first + second):
            return first + second
    return None


def _code_hash(code: str) -> str:
    return keyed_hash(code, CODE_PURPOSE)


def make_code(session: Session, identity: ChannelIdentity, now: datetime) -> MadeCode:
    """A new code for the person behind `identity`; any earlier code of theirs stops working."""
    minutes = get_settings().link_code_minutes
    session.execute(
        update(LinkCode)
        .where(LinkCode.person_id == identity.person_id, LinkCode.used_at.is_(None), LinkCode.expires_at > now)
        .values(expires_at=now)
    )
    session.execute(delete(LinkCode).where(LinkCode.expires_at < now - KEEP_RECORDS))
    while True:
        code = new_code()
        taken = session.execute(select(LinkCode.id).where(LinkCode.code_hash == _code_hash(code))).first()
        if taken is None:
            break
    session.add(
        LinkCode(
            code_hash=_code_hash(code),
            person_id=identity.person_id,
            made_by_identity_id=identity.id,
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    session.flush()
    return MadeCode(code, minutes)


def redeem(
    session: Session, identity: ChannelIdentity, text: str, now: datetime, source: str | None = None
) -> Redeemed:
    """Link `identity` to the person whose code is in `text`, if it is a good code. `source` is
    the web chat client's code_tries.source_key, so guessing from many chats is counted together."""
    trier = code_tries.Trier(identity.id, source)
    if code_tries.refusal(session, code_tries.CodeKind.link, trier, now) is not None:
        return Redeemed(LinkResult.too_many_tries)

    def wrong_try() -> None:
        code_tries.record_wrong_try(session, code_tries.CodeKind.link, trier, now, identity.person_id)

    code = find_code(text)
    if code is None:
        return Redeemed(LinkResult.no_code)
    found = session.execute(
        select(LinkCode, (LinkCode.expires_at <= now).label("expired"))
        .where(LinkCode.code_hash == _code_hash(code))
        .with_for_update()
    ).first()
    if found is None:
        wrong_try()
        return Redeemed(LinkResult.wrong)
    link_code, expired = found
    if link_code.person_id == identity.person_id:
        same = link_code.made_by_identity_id == identity.id
        return Redeemed(LinkResult.same_place if same else LinkResult.already_linked)
    if link_code.used_at is not None or expired:
        wrong_try()
        return Redeemed(LinkResult.used if link_code.used_at is not None else LinkResult.expired)
    claimed = session.execute(
        update(LinkCode)
        .where(LinkCode.id == link_code.id, LinkCode.used_at.is_(None))
        .values(used_at=now, used_by_identity_id=identity.id)
    ).rowcount
    if claimed != 1:  # someone else used it a moment ago
        wrong_try()
        return Redeemed(LinkResult.used)
    into = session.get(Person, link_code.person_id)
    plan = join_people(session, identity.person, into, now)
    return Redeemed(LinkResult.linked, plan)


def join_people(session: Session, person: Person, into: Person, now: datetime) -> PlanOutcome:
    """Make `person` part of `into`: the plan put together, then everything else that is
    theirs (identities, caseload entries, goals, check-ins, consent, live codes...) moved."""
    plan = merge_plans(session, person.id, into.id, now)
    move_person_records(session, person.id, into.id)
    if into.role is Role.unknown and person.role in (Role.service_user, Role.carer):
        into.role = person.role
    into.last_seen_at = now
    session.add(PersonMerge(from_person_id=person.id, into_person_id=into.id, plan_outcome=plan.value, created_at=now))
    session.flush()
    session.expire_all()  # identities moved by UPDATE: reload them from the database
    return plan
