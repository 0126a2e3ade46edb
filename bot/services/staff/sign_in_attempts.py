"""Throttling dashboard sign-in by where the tries come from, not by account.

A lock on the account lets anyone lock anyone out by guessing; so instead failures are counted
per client address, and per (username typed, address), over the last SIGN_IN_LOCKOUT_MINUTES.
Over SIGN_IN_MAX_FAILURES for one username, or SIGN_IN_MAX_FAILURES_PER_ADDRESS for any, that
address is refused (for that username, or for all) until enough of its failures are that old.
The owner signing in from somewhere else is not affected.

Unknown usernames are counted exactly like real ones (by a keyed hash of what was typed), so
the throttle itself does not tell which usernames exist. Refused tries are not stored (an
attacker cannot grow the table past the limits per address), and nothing is kept over a day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.security.pseudonyms import keyed_hash
from bot.settings import get_settings
from bot.store.staff_models import SignInFailure

KEEP_FOR = timedelta(days=1)
MAX_TYPED_USERNAME = 200  # a pasted novel is hashed by its start; it matches no account anyway


def address_key(address: str | None) -> str:
    """The keyed hash we keep instead of the client's IP address."""
    return keyed_hash((address or "unknown").strip().lower(), "sign-in-address")


def username_key(username: str) -> str:
    return keyed_hash(username.strip().lower()[:MAX_TYPED_USERNAME], "sign-in-username")


def _window_start(now: datetime) -> datetime:
    return now - timedelta(minutes=get_settings().sign_in_lockout_minutes)


def refusal(session: Session, address: str, username: str, now: datetime) -> str | None:
    """Why this address may not try this username now ("address" or "username"), else None."""
    settings = get_settings()
    since = _window_start(now)
    from_address = session.execute(
        select(func.count())
        .select_from(SignInFailure)
        .where(SignInFailure.address_hash == address, SignInFailure.failed_at > since)
    ).scalar_one()
    if from_address >= settings.sign_in_max_failures_per_address:
        return "address"
    for_username = session.execute(
        select(func.count())
        .select_from(SignInFailure)
        .where(
            SignInFailure.address_hash == address,
            SignInFailure.username_hash == username,
            SignInFailure.failed_at > since,
        )
    ).scalar_one()
    return "username" if for_username >= settings.sign_in_max_failures else None


def record_failure(session: Session, address: str, username: str, now: datetime) -> str | None:
    """Count one failure; returns what it has just made refused ("address"/"username"), if anything."""
    session.add(SignInFailure(address_hash=address, username_hash=username, failed_at=now))
    session.flush()
    forget_old(session, now)
    return refusal(session, address, username, now)


def clear_for(session: Session, username: str, address: str | None = None) -> int:
    """Forget a username's failures (from one address, or from all); returns how many."""
    query = delete(SignInFailure).where(SignInFailure.username_hash == username)
    if address is not None:
        query = query.where(SignInFailure.address_hash == address)
    return session.execute(query.execution_options(synchronize_session=False)).rowcount or 0


def refused_addresses(session: Session, username: str, now: datetime) -> int:
    """How many addresses are refused for this username just now (for the administrator)."""
    settings = get_settings()
    since = _window_start(now)
    counts = session.execute(
        select(SignInFailure.address_hash, func.count())
        .where(SignInFailure.username_hash == username, SignInFailure.failed_at > since)
        .group_by(SignInFailure.address_hash)
    ).all()
    return sum(
        1
        for address, count in counts
        if count >= settings.sign_in_max_failures or refusal(session, address, username, now) == "address"
    )


def forget_old(session: Session, now: datetime) -> int:
    """Delete failures over a day old (the worker also runs this hourly)."""
    return (
        session.execute(
            delete(SignInFailure)
            .where(SignInFailure.failed_at < now - KEEP_FOR)
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )
