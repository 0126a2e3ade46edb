"""The one clock: now in UTC, and times from the database in one form, aware and in UTC.

We store UTC everywhere; SQLite gives back naive datetimes and PostgreSQL aware ones, so every
comparison goes through `as_utc()`."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """We only ever store UTC: a naive time from SQLite is UTC without its label."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def as_utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)


SERVICE_TIME_ZONE = ZoneInfo("Europe/London")


def uk_readable(moment: datetime, with_time: bool = True) -> str:
    """ "Tuesday 3 March 2026, 14:05" on the UK clock, for staff pages."""
    local = as_utc(moment).astimezone(SERVICE_TIME_ZONE)
    text = f"{local:%A} {local.day} {local:%B %Y}"
    return f"{text}, {local:%H:%M}" if with_time else text


def uk_date(moment: date) -> str:
    """ "4 December 2026", for people (a time is taken on the UK clock first)."""
    if isinstance(moment, datetime):
        moment = as_utc(moment).astimezone(SERVICE_TIME_ZONE)
    return f"{moment.day} {moment:%B %Y}"


def uk_time(moment: datetime) -> str:
    """ "4 December 2026, 3:05pm" on the UK clock, for people."""
    local = as_utc(moment).astimezone(SERVICE_TIME_ZONE)
    hour = local.hour % 12 or 12
    return f"{uk_date(local)}, {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
