"""Twilio's delivery reports (status callbacks) for the texts we sent.

Reports arrive out of order; bot/services/outbox.record_delivery_status never lets a later
stage go back to an earlier one. A text refused because the number opted out at the carrier
(error 21610) records the opt-out too, so nothing more is queued to that number.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.messaging import outbox
from bot.services.messaging.reach import contact_for_number
from bot.services.messaging.sms_delivery import OPTED_OUT_CODE
from bot.store.outbox_models import OutboxMessage

KNOWN_STATUSES = frozenset(
    {
        "accepted",
        "scheduled",
        "queued",
        "sending",
        "sent",
        "delivered",
        "undelivered",
        "failed",
        "receiving",
        "received",
        "read",
        "canceled",
    }
)


def record_sms_status(session: Session, provider_id: str, status: str, error_code: str, now: datetime) -> bool:
    """Apply one report. False if we sent no message with that id (or the status is unknown)."""
    status = status.strip().lower()
    if status not in KNOWN_STATUSES or not outbox.record_delivery_status(session, provider_id, status, now):
        return False
    if error_code.strip() == str(OPTED_OUT_CODE):
        message = session.execute(select(OutboxMessage).where(OutboxMessage.provider_id == provider_id)).scalar_one()
        contact = contact_for_number(session, message.recipient)
        if contact is not None and contact.opted_out_at is None:
            contact.opted_out_at = now
        if message.person_id:
            outbox.cancel_pending_for(session, message.person_id, "sms")
    return True
