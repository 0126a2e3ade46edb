"""Delivering the outbox (texts and emails), exactly once where the provider lets us.

The worker (bot/worker.py, `python -m bot worker`) calls `run_once()` every WORKER_POLL_SECONDS;
the SMS webhook calls `deliver_now()` for a crisis reply, so it leaves at once. Tests call
`run_once(now, senders=...)` directly, without sleeping. Each run:

1. settles stale claims: a message left "sending" by a worker that stopped mid-send (or whose
   send ended in an uncertain error) is not sent again blindly. For a text, Twilio's message
   list (to, from, sent since the claim) says whether it went: if it did, it is recorded as
   sent; if it did not, it is queued again; if Twilio cannot be asked, it is marked "unknown"
   for a person to look at. SMTP cannot be asked, so an email is marked "unknown".
2. delivers every due message, in batches of DELIVERY_BATCH until none is left: claim it (one transaction; two workers never take the same
   message), send with no transaction open, record the outcome (another transaction). A retry
   of a text first asks Twilio whether an earlier attempt went after all.

A text to a number that has opted out (STOP) is cancelled at send time too, except a reply to
a crisis message (bot/services/sms/turns.py). Twilio's "opted out" refusal (21610) records the
opt-out. Logs hold counts and content-free error codes, never numbers or text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.common.clock import utc_now
from bot.services.messaging import outbox
from bot.services.messaging.delivery import DeliveryError, LookupFailed, NotSent, Outgoing, Refused, Uncertain
from bot.services.messaging.email_delivery import EmailSender, email_sender
from bot.services.messaging.outbox import CRISIS_REPLY_PURPOSE
from bot.services.messaging.reach import contact_for_number
from bot.services.messaging.sms_delivery import SmsSender, sms_sender
from bot.settings import Settings, get_settings
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

FIRST_ATTEMPT_MARGIN = timedelta(minutes=1)
# Due messages read from the database at a time; one run keeps going until none is left.
DELIVERY_BATCH = 50
MAX_PER_RUN = 900  # ids left out by "NOT IN": under the oldest SQLite limit of 999 parameters


@dataclass(frozen=True)
class Senders:
    sms: SmsSender
    email: EmailSender


def default_senders(settings: Settings | None = None) -> Senders:
    settings = settings or get_settings()
    return Senders(sms=sms_sender(settings), email=email_sender(settings))


@dataclass
class Report:
    """What one run did, in counts (safe to log)."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    uncertain: int = 0
    unknown: int = 0
    found_already_sent: int = 0
    requeued: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def did_anything(self) -> bool:
        return any(
            (
                self.sent,
                self.retried,
                self.failed,
                self.cancelled,
                self.uncertain,
                self.unknown,
                self.found_already_sent,
                self.requeued,
            )
        )


@dataclass(frozen=True)
class _Job:
    id: str
    channel: str
    purpose: str
    attempts: int
    created_at: datetime
    claimed_at: datetime
    outgoing: Outgoing


def _job(message: OutboxMessage, claimed_at: datetime) -> _Job:
    return _Job(
        id=message.id,
        channel=message.channel,
        purpose=message.purpose,
        attempts=message.attempts,
        created_at=message.created_at,
        claimed_at=claimed_at,
        outgoing=Outgoing(
            key=message.idempotency_key, to=message.recipient, body=message.body, subject=message.subject
        ),
    )


def run_once(now: datetime | None = None, senders: Senders | None = None) -> Report:
    """Settle stale claims, then deliver everything due at `now`."""
    now = now or utc_now()
    senders = senders or default_senders()
    report = Report()
    with unit_of_work() as session:
        stale = [_job(message, message.claimed_at) for message in outbox.stale_claims(session, now)]
    for job in stale:
        _settle_stale(job, now, senders, report)
    # Drain everything due, a batch at a time (a long queue must not leave the newest text
    # waiting for later runs). A message this run already handled is never taken again in it
    # (a retry's next attempt is in the future anyway); a run stops after MAX_PER_RUN and the
    # next run carries on, so the timetable's jobs still get their turn.
    handled: set[str] = set()
    while len(handled) < MAX_PER_RUN:
        with unit_of_work() as session:
            due = outbox.due_ids(session, now, limit=DELIVERY_BATCH, exclude=handled)
        if not due:
            break
        for message_id in due:
            handled.add(message_id)
            _deliver(message_id, now, senders, report)
    return report


def deliver_now(idempotency_keys: list[str], senders: Senders | None = None) -> Report:
    """Send these queued messages at once, from the calling process, with the same claim and
    record steps as a run (so the worker never sends them twice). The SMS webhook uses it for
    crisis replies: they must not wait for the next poll, and must leave before a STOP the
    person sends a second later reaches Twilio. Anything not sent here stays for the worker."""
    now = utc_now()
    senders = senders or default_senders()
    report = Report()
    with unit_of_work() as session:
        message_ids = outbox.ids_for_keys(session, idempotency_keys)
    for message_id in message_ids:
        _deliver(message_id, now, senders, report)
    return report


# -- delivering --------------------------------------------------------------------------------


def _deliver(message_id: str, now: datetime, senders: Senders, report: Report) -> None:
    with unit_of_work() as session:
        if not outbox.claim(session, message_id, now):
            return  # another worker took it
        message = session.get(OutboxMessage, message_id)
        session.refresh(message)
        if message.channel == "sms" and message.purpose != CRISIS_REPLY_PURPOSE:
            contact = contact_for_number(session, message.recipient)
            if contact is not None and contact.opted_out_at is not None:
                outbox.mark_cancelled(message, "opted-out")
                report.cancelled += 1
                return
        job = _job(message, now)
    outcome = _attempt(job, senders)
    _record(job, outcome, now, report)


def _attempt(job: _Job, senders: Senders) -> tuple[str, object]:
    """Send, with no database transaction open. Returns (what happened, detail)."""
    try:
        if job.channel == "sms":
            if job.attempts > 1:  # a retry: did an earlier attempt go after all?
                try:
                    earlier = senders.sms.find_sent(job.outgoing, job.created_at - FIRST_ATTEMPT_MARGIN)
                except LookupFailed as error:
                    return "retry", f"retry-lookup-{error.code}"
                earlier = _unrecorded(earlier, job.id)
                if earlier:
                    return "found", earlier[0]
            return "sent", senders.sms.send(job.outgoing)
        if job.channel == "email":
            return "sent", senders.email.send(job.outgoing)
        return "failed", Refused(f"unknown-channel-{job.channel}")
    except NotSent as error:
        return "retry", error.code
    except Refused as error:
        return "failed", error
    except Uncertain as error:
        return "uncertain", error.code
    except DeliveryError as error:
        return "uncertain", error.code
    except Exception as error:  # a bug or an unexpected library error: do not resend blindly
        logger.exception("Delivering outbox message %s raised %s.", job.id, type(error).__name__)
        return "uncertain", f"error-{type(error).__name__}"


def _record(job: _Job, outcome: tuple[str, object], now: datetime, report: Report) -> None:
    kind, detail = outcome
    with unit_of_work() as session:
        message = session.get(OutboxMessage, job.id)
        if message is None or message.status is not OutboxStatus.sending:
            return  # settled meanwhile (for example by a stale-claim check)
        if kind == "sent":
            outbox.mark_sent(message, str(detail), now)
            report.sent += 1
        elif kind == "found":
            outbox.mark_sent(message, str(detail), now)
            report.found_already_sent += 1
        elif kind == "retry":
            outbox.mark_retry(message, str(detail), now)
            report.retried += message.status is OutboxStatus.pending
            report.failed += message.status is OutboxStatus.failed
        elif kind == "failed":
            error: Refused = detail  # type: ignore[assignment]
            outbox.mark_failed(message, error.code)
            report.failed += 1
            if error.opted_out:
                _record_opt_out(session, message, now)
        else:
            outbox.note_uncertain(message, str(detail))
            report.uncertain += 1
    if kind in ("retry", "failed", "uncertain"):
        logger.warning(
            "Outbox message %s (%s) not delivered: %s (%s).",
            job.id,
            job.channel,
            kind,
            detail.code if isinstance(detail, DeliveryError) else detail,
        )


def _record_opt_out(session, message: OutboxMessage, now: datetime) -> None:
    """Twilio says the number sent STOP (perhaps before we knew): record it, stop the rest."""
    contact = contact_for_number(session, message.recipient)
    if contact is not None and contact.opted_out_at is None:
        contact.opted_out_at = now
    if message.person_id:
        outbox.cancel_pending_for(session, message.person_id, "sms")


def _known_elsewhere(session, candidates: list[str], message_id: str) -> set[str]:
    """Which of these provider ids already belong to another outbox message (the same words
    can be sent to the same person twice; each provider message answers for one of ours)."""
    if not candidates:
        return set()
    return set(
        session.execute(
            select(OutboxMessage.provider_id).where(
                OutboxMessage.provider_id.in_(candidates), OutboxMessage.id != message_id
            )
        ).scalars()
    )


def _unrecorded(candidates: list[str], message_id: str) -> list[str]:
    with unit_of_work() as session:
        known = _known_elsewhere(session, candidates, message_id)
    return [sid for sid in candidates if sid not in known]


# -- stale claims ------------------------------------------------------------------------------


def _settle_stale(job: _Job, now: datetime, senders: Senders, report: Report) -> None:
    if job.channel != "sms":
        with unit_of_work() as session:
            message = session.get(OutboxMessage, job.id)
            if message is not None and message.status is OutboxStatus.sending:
                outbox.mark_unknown(message, "stale-claim-cannot-check")
                report.unknown += 1
        return
    try:
        candidates = senders.sms.find_sent(job.outgoing, job.claimed_at)
        lookup_error = None
    except LookupFailed as error:
        candidates, lookup_error = [], error.code
    with unit_of_work() as session:
        message = session.get(OutboxMessage, job.id)
        if message is None or message.status is not OutboxStatus.sending:
            return
        if lookup_error is not None:
            outbox.mark_unknown(message, f"stale-claim-lookup-{lookup_error}")
            report.unknown += 1
        else:
            known = _known_elsewhere(session, candidates, message.id)
            fresh = [sid for sid in candidates if sid not in known]
            if fresh:
                outbox.mark_sent(message, fresh[0], now)
                report.found_already_sent += 1
            else:
                outbox.mark_retry(message, "stale-claim-not-sent", now)
                report.requeued += 1
    logger.warning("Settled a stale outbox claim %s (%s).", job.id, job.channel)
