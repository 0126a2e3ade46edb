"""Queue messages to send, and the bookkeeping of delivering them exactly once.

Callers `enqueue()` inside their own unit of work, so the message is saved with the change that
caused it. The worker then `claim_due()`s messages (an atomic status change, so two workers never
take the same one), tries to deliver each, and records the outcome with `mark_sent()`,
`mark_retry()` (backoff) or `mark_failed()`. A message left in `sending` by a worker that stopped
mid-send is not resent blindly: `stale_claims()` hands it to the deliverer to check with the
provider first (see bot/worker.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.common.clock import utc_now
from bot.store.outbox_models import OutboxMessage, OutboxStatus

# A reply to a crisis message: never cancelled (not by STOP, not by a carrier opt-out report)
# and sent even to a number that opted out; Twilio may still refuse it, and that is recorded.
CRISIS_REPLY_PURPOSE = "crisis_reply"
NEVER_CANCELLED_PURPOSES = frozenset({CRISIS_REPLY_PURPOSE})

MAX_ATTEMPTS = 6
FIRST_RETRY_AFTER = timedelta(seconds=30)
STALE_CLAIM_AFTER = timedelta(minutes=5)


def enqueue(
    session: Session,
    *,
    channel: str,
    recipient: str,
    body: str,
    idempotency_key: str,
    purpose: str,
    person_id: str | None = None,
    subject: str | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Queue a message. Queuing the same idempotency key again returns the first message."""
    if channel not in ("sms", "email"):
        raise ValueError(f"Unknown outbox channel {channel!r}.")
    existing = session.execute(
        select(OutboxMessage).where(OutboxMessage.idempotency_key == idempotency_key)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    message = OutboxMessage(
        idempotency_key=idempotency_key,
        channel=channel,
        purpose=purpose,
        person_id=person_id,
        recipient=recipient,
        subject=subject,
        body=body,
        next_attempt_at=not_before or utc_now(),
    )
    session.add(message)
    session.flush()
    return message


def ids_for_keys(session: Session, idempotency_keys: list[str]) -> list[str]:
    """The ids of the queued messages with these idempotency keys, in the keys' order."""
    if not idempotency_keys:
        return []
    found = dict(
        session.execute(
            select(OutboxMessage.idempotency_key, OutboxMessage.id).where(
                OutboxMessage.idempotency_key.in_(idempotency_keys)
            )
        ).all()
    )
    return [found[key] for key in idempotency_keys if key in found]


def claim(session: Session, message_id: str, now: datetime | None = None) -> bool:
    """Take one pending message for delivery. False if another worker took it first."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.pending)
        .values(status=OutboxStatus.sending, claimed_at=now or utc_now(), attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def due_ids(
    session: Session, now: datetime | None = None, limit: int = 50, exclude: set[str] | None = None
) -> list[str]:
    """Pending messages whose time has come, oldest first (leaving out `exclude`)."""
    query = select(OutboxMessage.id).where(
        OutboxMessage.status == OutboxStatus.pending, OutboxMessage.next_attempt_at <= (now or utc_now())
    )
    if exclude:
        query = query.where(OutboxMessage.id.notin_(sorted(exclude)))
    return list(
        session.execute(query.order_by(OutboxMessage.next_attempt_at, OutboxMessage.created_at).limit(limit)).scalars()
    )


def stale_claims(session: Session, now: datetime | None = None) -> list[OutboxMessage]:
    """Messages a worker claimed but never finished (it stopped mid-send)."""
    cutoff = (now or utc_now()) - STALE_CLAIM_AFTER
    return list(
        session.execute(
            select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.sending, OutboxMessage.claimed_at < cutoff)
        ).scalars()
    )


def mark_sent(message: OutboxMessage, provider_id: str | None, now: datetime | None = None) -> None:
    message.status = OutboxStatus.sent
    message.provider_id = provider_id
    message.sent_at = now or utc_now()
    message.last_error = None


def mark_retry(message: OutboxMessage, error: str, now: datetime | None = None) -> None:
    """The provider definitely did not take it: try again later, with exponential backoff."""
    message.last_error = error[:200]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.failed
        return
    message.status = OutboxStatus.pending
    message.next_attempt_at = (now or utc_now()) + FIRST_RETRY_AFTER * (2 ** (message.attempts - 1))


def mark_failed(message: OutboxMessage, error: str) -> None:
    """Permanent: the provider refused it (a bad number, an opted-out number...)."""
    message.status = OutboxStatus.failed
    message.last_error = error[:200]


def mark_unknown(message: OutboxMessage, error: str) -> None:
    """A stopped worker may or may not have sent it, and the provider cannot say: leave it."""
    message.status = OutboxStatus.unknown
    message.last_error = error[:200]


def mark_cancelled(message: OutboxMessage, reason: str) -> None:
    """Not to be sent after all (for example the number opted out after it was queued)."""
    message.status = OutboxStatus.cancelled
    message.last_error = reason[:200]


def note_uncertain(message: OutboxMessage, error: str) -> None:
    """The send may or may not have gone through: the claim is left as it is, so the stale
    claim check asks the provider before anything is sent again."""
    message.last_error = error[:200]


def cancel_pending_for(session: Session, person_id: str, channel: str) -> int:
    """Stop everything still queued to a person on a channel (for example after STOP), except
    replies to a crisis message: a STOP sent a second after a crisis text must not take the
    crisis contacts away."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.person_id == person_id,
            OutboxMessage.channel == channel,
            OutboxMessage.status == OutboxStatus.pending,
            OutboxMessage.purpose.notin_(sorted(NEVER_CANCELLED_PURPOSES)),
        )
        .values(status=OutboxStatus.cancelled)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def cancel_pending_key(session: Session, idempotency_key: str, reason: str) -> bool:
    """Stop one queued message that is no longer wanted; True if it was still waiting."""
    message = session.execute(
        select(OutboxMessage).where(
            OutboxMessage.idempotency_key == idempotency_key, OutboxMessage.status == OutboxStatus.pending
        )
    ).scalar_one_or_none()
    if message is None or message.purpose in NEVER_CANCELLED_PURPOSES:
        return False
    mark_cancelled(message, reason)
    return True


def record_delivery_status(
    session: Session, provider_id: str, status: str, reported_at: datetime | None = None
) -> bool:
    """Apply a provider's delivery report. Reports arrive out of order: a later stage never
    goes back to an earlier one. False if no message has that provider id."""
    message = session.execute(
        select(OutboxMessage).where(OutboxMessage.provider_id == provider_id)
    ).scalar_one_or_none()
    if message is None:
        return False
    if _delivery_rank(status) >= _delivery_rank(message.delivery_status):
        message.delivery_status = status
        message.delivery_status_at = reported_at or utc_now()
    return True


_DELIVERY_ORDER = ("accepted", "queued", "sending", "sent", "delivered", "undelivered", "failed")


def _delivery_rank(status: str | None) -> int:
    # Final outcomes (delivered, undelivered, failed) all outrank the stages before them.
    return _DELIVERY_ORDER.index(status) if status in _DELIVERY_ORDER else -1
