"""STOPGAP until the consent ledger (bot/services/consent.py) is merged: which categories a
person's consents cover, now, for one recipient.

At merge, the lead replaces the one import of this module in bot/services/dashboard.py (and
its tests' helpers keep working) with `from bot.services.consent import active_categories`,
which has the same signature, then deletes this file.

The rule is the ledger's: for each (person, recipient, category), the newest record decides;
it is active if it granted consent and its review date, if any, has not passed.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.times import as_utc
from bot.store.consent_models import ConsentDecision, ConsentRecord
from bot.store.models import utc_now


def active_categories(session: Session, person_id: str, recipient_id: str, now: datetime | None = None) -> set[str]:
    now = now or utc_now()
    records = session.execute(
        select(ConsentRecord)
        .where(ConsentRecord.person_id == person_id, ConsentRecord.recipient_id == recipient_id)
        .order_by(ConsentRecord.recorded_at, ConsentRecord.id)
    ).scalars()
    latest: dict[str, ConsentRecord] = {}
    for record in records:
        if as_utc(record.recorded_at) <= now:
            latest[record.category] = record  # later records replace earlier ones
    return {
        category
        for category, record in latest.items()
        if record.decision is ConsentDecision.granted
        and (record.review_due_at is None or as_utc(record.review_due_at) > now)
    }
