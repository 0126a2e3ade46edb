"""Signed-in dashboard sessions, kept on the server.

The browser holds only a random token (256 bits) in an HttpOnly cookie; the database keeps its
SHA-256, so a copy of the database cannot be used to sign in. Each session has its own CSRF
token for forms. A session ends after WEB_SESSION_IDLE_MINUTES without a request, after
MAX_SESSION_HOURS whatever happens, at sign-out, and at once for every session of an account
whose password is reset or which is disabled (`end_all`). A new session is made at every
sign-in, so a token planted before sign-in is worthless.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.common.clock import as_utc, as_utc_or_none
from bot.settings import get_settings
from bot.store.dashboard_models import StaffSession
from bot.store.staff_models import StaffAccount

MAX_SESSION_HOURS = 12
TOKEN_BYTES = 32


@dataclass(frozen=True)
class SignedIn:
    staff_id: str
    display_name: str
    csrf_token: str
    previous_visit_at: datetime | None


def start(session: Session, account: StaffAccount, previous_visit_at: datetime | None, now: datetime) -> str:
    """A new session for this account; returns the token for the cookie."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        StaffSession(
            token_hash=_hash(token),
            staff_id=account.person_id,
            csrf_token=secrets.token_urlsafe(TOKEN_BYTES),
            created_at=now,
            last_seen_at=now,
            previous_visit_at=previous_visit_at,
        )
    )
    _forget_expired(session, now)
    session.flush()
    return token


def current(session: Session, token: str | None, now: datetime) -> SignedIn | None:
    """Who holds this token, if the session is still open; refreshes its idle timer."""
    if not token or len(token) > 100:
        return None
    row = session.get(StaffSession, _hash(token))
    if row is None:
        return None
    idle = timedelta(minutes=get_settings().web_session_idle_minutes)
    if as_utc(row.last_seen_at) + idle <= now or as_utc(row.created_at) + timedelta(hours=MAX_SESSION_HOURS) <= now:
        session.delete(row)
        session.flush()
        return None
    account = session.get(StaffAccount, row.staff_id)
    if account is None or account.disabled_at is not None:
        session.delete(row)
        session.flush()
        return None
    row.last_seen_at = now
    session.flush()
    return SignedIn(row.staff_id, account.display_name, row.csrf_token, as_utc_or_none(row.previous_visit_at))


def end(session: Session, token: str | None) -> str | None:
    """Sign out: forget the session. Returns whose it was, if anyone's."""
    if not token or len(token) > 100:
        return None
    row = session.get(StaffSession, _hash(token))
    if row is None:
        return None
    staff_id = row.staff_id
    session.delete(row)
    session.flush()
    return staff_id


def end_all(session: Session, staff_id: str) -> int:
    """End every session of one account (password reset, account disabled); returns how many."""
    ended = session.execute(
        delete(StaffSession).where(StaffSession.staff_id == staff_id).execution_options(synchronize_session=False)
    ).rowcount
    session.flush()
    return ended or 0


def csrf_matches(expected: str, given: str | None) -> bool:
    if not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def _forget_expired(session: Session, now: datetime) -> None:
    idle = timedelta(minutes=get_settings().web_session_idle_minutes)
    session.execute(
        delete(StaffSession)
        .where(
            (StaffSession.last_seen_at < now - idle)
            | (StaffSession.created_at < now - timedelta(hours=MAX_SESSION_HOURS))
        )
        .execution_options(synchronize_session=False)
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
