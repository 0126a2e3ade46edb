"""Telling a coordinator there is something new to look at: one way for every kind of news (a
share, a carer's message, a person's own message).

The body says only that there is something to read (DESIGN rule 3); an email also carries the
link to the person's dashboard page. A coordinator with no usable address is not notified: the
item waits on the dashboard, and the log says so by ids only.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from bot.services.coordination.dashboard_content import with_dashboard_link
from bot.services.messaging import outbox
from bot.store.outbox_models import OutboxMessage
from bot.store.staff_models import StaffAccount

log = logging.getLogger(__name__)
NOTIFY_CHANNELS = ("sms", "email")


def notify_coordinator(
    session: Session,
    coordinator_id: str,
    about_person_id: str | None,
    *,
    body: str,
    subject: str,
    idempotency_key: str,
    purpose: str,
) -> OutboxMessage | None:
    """Queue the notice on the coordinator's own channel; None when they have no usable address."""
    staff = session.get(StaffAccount, coordinator_id)
    if staff is None or not staff.notify_address or staff.notify_channel not in NOTIFY_CHANNELS:
        log.warning(
            "Coordinator %s has no usable notification address; %s waits on the dashboard.", coordinator_id, purpose
        )
        return None
    email = staff.notify_channel == "email"
    if email and about_person_id:
        body = with_dashboard_link(body, f"/people/{about_person_id}")
    return outbox.enqueue(
        session,
        channel=staff.notify_channel,
        recipient=staff.notify_address,
        body=body,
        subject=subject if email else None,
        idempotency_key=idempotency_key,
        purpose=purpose,
        person_id=coordinator_id,
    )
