"""Remind a coordinator when something shared with them waits unread for too long.

A share is due a reminder once REMINDER_WORKING_DAYS working days (Monday to Friday, UK time;
bank holidays are not known here) have passed since it was made while it is still unread, its
person is still on the caseload and the consent still covers it. One content-free message per
coordinator per run, by their SMS or email, queued in the outbox; each share is reminded about
once. The worker calls `queue_due_reminders(session, now)` on its schedule.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import SERVICE_TIME_ZONE, as_utc
from bot.services.coordination import dashboard
from bot.services.coordination.dashboard_content import load_dashboard_content
from bot.services.messaging import outbox
from bot.services.people import enrolment
from bot.settings import dashboard_url, get_settings
from bot.store.consent_models import ShareEvent
from bot.store.staff_models import StaffAccount

PURPOSE = "share_reminder"


def add_working_days(start: datetime, days: int) -> datetime:
    """The moment `days` whole working days (Mon-Fri, UK clock) after `start`.

    Weekend time does not count: a share made on Friday at 10:00 is two working days old on
    Tuesday at 10:00; one made on Saturday is two working days old at Wednesday 00:00.
    """
    cursor = as_utc(start).astimezone(SERVICE_TIME_ZONE).replace(tzinfo=None)  # UK wall clock
    remaining = timedelta(days=days)
    while remaining > timedelta(0):
        midnight = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time())
        if cursor.weekday() >= 5:  # Saturday or Sunday: skip to the next day
            cursor = midnight
            continue
        step = min(remaining, midnight - cursor)
        cursor += step
        remaining -= step
    return cursor.replace(tzinfo=SERVICE_TIME_ZONE).astimezone(as_utc(start).tzinfo)


def queue_due_reminders(session: Session, now: datetime) -> int:
    """Queue reminders that are due; returns how many messages were queued."""
    days = get_settings().reminder_working_days
    due: dict[str, list[ShareEvent]] = {}
    for event in session.execute(
        select(ShareEvent).where(
            ShareEvent.read_at.is_(None),
            ShareEvent.acknowledged_at.is_(None),
            ShareEvent.reminder_sent_at.is_(None),
        )
    ).scalars():
        if add_working_days(as_utc(event.created_at), days) > now:
            continue
        if enrolment.active_entry(session, event.coordinator_id, event.person_id) is None:
            continue
        waiting, _ = dashboard.waiting_share_events(session, event.person_id, event.coordinator_id, now)
        if event in waiting:
            due.setdefault(event.coordinator_id, []).append(event)
    queued = 0
    for coordinator_id, events in due.items():
        account = session.get(StaffAccount, coordinator_id)
        if account is None or not account.notify_address:
            continue
        _queue(session, account, events)
        for event in events:
            event.reminder_sent_at = now
        queued += 1
    session.flush()
    return queued


def _queue(session: Session, account: StaffAccount, events: list[ShareEvent]) -> None:
    content = load_dashboard_content()
    key = "share-reminder:" + hashlib.sha256(",".join(sorted(e.id for e in events)).encode()).hexdigest()[:40]
    if account.notify_channel == "sms":
        outbox.enqueue(
            session,
            channel="sms",
            recipient=account.notify_address,
            body=content.text("reminder_sms"),
            idempotency_key=key,
            purpose=PURPOSE,
            person_id=account.person_id,
        )
    else:
        outbox.enqueue(
            session,
            channel="email",
            recipient=account.notify_address,
            subject=content.text("reminder_email_subject"),
            body=content.text("reminder_email_body", url=dashboard_url()),
            idempotency_key=key,
            purpose=PURPOSE,
            person_id=account.person_id,
        )
