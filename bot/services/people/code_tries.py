"""Counting wrong tries at one-time codes (linking channels, linking carers), so guessing is
slow: a limit per sender (channel identity) and one across everyone, so many throw-away web
chats cannot guess together. Each kind of code keeps its tries in its own table with the same
columns (identity_id, created_at, succeeded); only the last day is kept."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

KEEP_TRIES = timedelta(days=1)
WINDOW = timedelta(hours=1)


def _wrong_tries(session: Session, table, since: datetime, identity_id: str | None = None) -> int:
    query = select(func.count()).select_from(table).where(table.succeeded.is_(False), table.created_at > since)
    if identity_id is not None:
        query = query.where(table.identity_id == identity_id)
    return session.execute(query).scalar_one()


def too_many_tries(session: Session, table, identity_id: str, now: datetime, per_sender: int, overall: int) -> bool:
    """Whether this sender, or everyone together, made too many wrong tries in the last hour."""
    since = now - WINDOW
    return _wrong_tries(session, table, since, identity_id) >= per_sender or _wrong_tries(session, table, since) >= overall


def record_try(session: Session, table, identity_id: str, now: datetime, succeeded: bool) -> None:
    """Note one try (and forget tries older than a day)."""
    session.execute(delete(table).where(table.created_at < now - KEEP_TRIES))
    session.add(table(identity_id=identity_id, created_at=now, succeeded=succeeded))
    session.flush()
