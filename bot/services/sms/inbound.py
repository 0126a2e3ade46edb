"""Taking in a text: once per MessageSid, for the person behind the number.

`take_in()` runs in one transaction with the MessageSid's row, so a replayed or retried
webhook (same MessageSid) finds the row and is acknowledged without being processed again,
even after a restart. Two copies arriving at the same moment cannot both get in: the second
insert breaks the primary key, its transaction rolls back, and the caller treats it as a
replay (sqlalchemy.exc.IntegrityError).

The number itself is never the conversation's id: Rasa sees a keyed hash of it
(`sender_id_for`), and the number is kept encrypted in `sms_contacts` (bot/services/messaging/reach.py)
so replies and later messages can reach the person.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.common.sms_text import chosen_number
from bot.security.pseudonyms import keyed_hash
from bot.services.messaging.reach import remember_sms_number
from bot.services.people.lookup import person_for_address
from bot.store.sms_models import SmsChoices, SmsInboundMessage

CHANNEL = "sms"
SENDER_PURPOSE = "sms-sender"


def sender_id_for(number: str) -> str:
    """The Rasa sender id for a phone number: a keyed hash, never the number."""
    return keyed_hash(number, SENDER_PURPOSE)


@dataclass(frozen=True)
class Arrival:
    first_time: bool
    person_id: str | None = None
    opted_out: bool = False
    choices: tuple[str, ...] = ()  # the payloads of the numbered choices last offered


def take_in(session: Session, message_sid: str, number: str, now: datetime) -> Arrival:
    """Record that this text arrived, once. A MessageSid seen before gives first_time=False
    and changes nothing."""
    if session.get(SmsInboundMessage, message_sid) is not None:
        return Arrival(first_time=False)
    session.add(SmsInboundMessage(message_sid=message_sid, received_at=now))
    session.flush()  # a twin arriving at the same moment fails here (IntegrityError)
    sender_id = sender_id_for(number)
    person = person_for_address(session, CHANNEL, sender_id)
    contact = remember_sms_number(session, person.id, number)
    return Arrival(
        first_time=True,
        person_id=person.id,
        opted_out=contact.opted_out_at is not None,
        choices=offered_choices(session, sender_id),
    )


def offered_choices(session: Session, sender_id: str) -> tuple[str, ...]:
    row = session.get(SmsChoices, sender_id)
    return tuple(json.loads(row.payloads)) if row is not None else ()


def remember_choices(session: Session, sender_id: str, payloads: list[str], now: datetime) -> None:
    """The payloads behind "1", "2"... from now on; none clears them."""
    row = session.get(SmsChoices, sender_id)
    if not payloads:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = SmsChoices(sender_id=sender_id)
        session.add(row)
    row.payloads = json.dumps(payloads)
    row.offered_at = now


def payload_for_reply(text: str, choices: tuple[str, ...]) -> str | None:
    """The payload a numbered reply picks ("2" -> the second choice offered), or None when
    the text is not a number or no such choice was offered. The payload is our own (it came
    from the bot's buttons), never text the person sent."""
    number = chosen_number(text)
    if number is None or not 1 <= number <= len(choices):
        return None
    return choices[number - 1]


def mark_answered(session: Session, message_sid: str, now: datetime) -> None:
    """Answered: any copy of the text kept to answer later is dropped."""
    row = session.get(SmsInboundMessage, message_sid)
    if row is not None:
        row.answered_at = now
        give_up(row)


# -- texts kept to answer later ----------------------------------------------------------------

# A text whose turn could not be run is tried again after these waits, then given up (the
# person was told at once how to get help, and that the text is kept).
RETRY_WAITS = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30))


@dataclass(frozen=True)
class WaitingText:
    message_sid: str
    number: str
    text: str


def keep_for_retry(session: Session, message_sid: str, number: str, text: str, now: datetime) -> None:
    """Keep a text that could not be answered (encrypted), to try again later. Not answered."""
    row = session.get(SmsInboundMessage, message_sid)
    if row is None:
        return
    attempts = (row.attempts or 0) + 1
    row.attempts = attempts
    if attempts > len(RETRY_WAITS):
        give_up(row)
        return
    row.waiting_text, row.waiting_number = text, number
    row.retry_after = now + RETRY_WAITS[attempts - 1]


def give_up(row: SmsInboundMessage) -> None:
    row.waiting_text = row.waiting_number = row.retry_after = None


def take_waiting(session: Session, now: datetime, limit: int = 20) -> list[WaitingText]:
    """Texts due to be tried again, taken so no other rasa server tries the same one at once
    (their retry time moves on; a successful turn clears them, a failed one keeps them)."""
    rows = (
        session.execute(
            select(SmsInboundMessage)
            .where(
                SmsInboundMessage.retry_after.is_not(None),
                SmsInboundMessage.retry_after <= now,
                SmsInboundMessage.answered_at.is_(None),
            )
            .order_by(SmsInboundMessage.received_at)
            .limit(limit)
        )
        .scalars()
        .all()
    )
    taken = []
    for row in rows:
        claimed = session.execute(
            update(SmsInboundMessage)
            .where(SmsInboundMessage.message_sid == row.message_sid, SmsInboundMessage.retry_after == row.retry_after)
            .values(retry_after=now + RETRY_WAITS[-1])
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed and row.waiting_text is not None and row.waiting_number is not None:
            taken.append(WaitingText(row.message_sid, row.waiting_number, row.waiting_text))
    return taken
