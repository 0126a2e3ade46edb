"""Times as the database gives them back. We store UTC everywhere; SQLite returns naive
datetimes, PostgreSQL aware ones, so every comparison goes through `as_utc()`."""
from __future__ import annotations

from datetime import datetime, timezone


def as_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
