"""Slowing down guessing at one-time codes (channel links, carer links, enrolment) without
handing anyone a way to lock everyone else out.

Wrong tries are counted over the last hour three ways, and a try is refused when any count is
at its limit:

- per sender (the channel identity, or the person for enrolment), for each kind of code;
- per source (the client address of a web chat, by keyed hash), across every kind, so many
  throw-away web chats from one place are one source. SMS has no source: the number is the sender;
- overall, for each kind, as a last stop against guessing from very many places. It is far
  above the per-source limit (settings refuse otherwise), so no one source can reach it.

Refused tries are not stored, so one source cannot grow the table past its limit; rows go after
a day. The audit log gets one summary row when a sender, a source or everyone reaches a limit,
never a row per try.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.security.pseudonyms import keyed_hash
from bot.services.privacy import audit
from bot.settings import get_settings
from bot.store.code_try_models import WrongCodeTry

WINDOW = timedelta(hours=1)
KEEP_FOR = timedelta(days=1)
MAX_ADDRESS_CHARS = 100
# The message metadata key the web chat channel puts source_key(client address) under.
SOURCE_METADATA_KEY = "code_try_source"


class CodeKind(str, Enum):
    link = "link"
    carer = "carer"
    enrolment = "enrolment"


class Limit(str, Enum):
    """Which count refused a try (named in the audit summary)."""

    sender = "sender"
    source = "source"
    overall = "overall"


@dataclass(frozen=True)
class Trier:
    """Who is trying a code: `sender_id` (identity or person id) and, on web chat, the source key."""

    sender_id: str
    source: str | None = None


def source_key(address: str | None) -> str | None:
    """The keyed hash kept instead of a client address (None when there is no address)."""
    cleaned = (address or "").strip().lower()[:MAX_ADDRESS_CHARS]
    return keyed_hash(cleaned, "code-try-source") if cleaned else None


def _sender_key(sender_id: str) -> str:
    return keyed_hash(sender_id, "code-try-sender")


def _per_sender_limit(kind: CodeKind) -> int:
    settings = get_settings()
    if kind is CodeKind.link:
        return settings.link_code_tries_per_hour
    if kind is CodeKind.enrolment:
        return settings.enrolment_max_attempts
    return settings.carer_code_tries_per_hour


def _counts(session: Session, kind: CodeKind, trier: Trier, now: datetime) -> dict[Limit, int]:
    since = now - WINDOW
    recent = select(func.count()).select_from(WrongCodeTry).where(WrongCodeTry.tried_at > since)
    counts = {
        Limit.sender: session.execute(
            recent.where(WrongCodeTry.kind == kind.value, WrongCodeTry.sender_hash == _sender_key(trier.sender_id))
        ).scalar_one(),
        Limit.overall: session.execute(recent.where(WrongCodeTry.kind == kind.value)).scalar_one(),
        Limit.source: 0,
    }
    if trier.source is not None:
        counts[Limit.source] = session.execute(recent.where(WrongCodeTry.source_hash == trier.source)).scalar_one()
    return counts


def _limits(kind: CodeKind) -> dict[Limit, int]:
    settings = get_settings()
    return {
        Limit.sender: _per_sender_limit(kind),
        Limit.source: settings.code_tries_per_source_per_hour,
        Limit.overall: settings.code_tries_overall_per_hour,
    }


def refusal(session: Session, kind: CodeKind, trier: Trier, now: datetime) -> Limit | None:
    """Which limit stops this try now, or None if it may go ahead."""
    counts, limits = _counts(session, kind, trier, now), _limits(kind)
    return next((limit for limit in Limit if counts[limit] >= limits[limit]), None)


def record_wrong_try(
    session: Session, kind: CodeKind, trier: Trier, now: datetime, person_id: str | None = None
) -> Limit | None:
    """Count one wrong try; audit (once) any limit it has just reached, and return that limit."""
    session.add(
        WrongCodeTry(kind=kind.value, sender_hash=_sender_key(trier.sender_id), source_hash=trier.source, tried_at=now)
    )
    session.flush()
    counts, limits = _counts(session, kind, trier, now), _limits(kind)
    reached = next((limit for limit in Limit if counts[limit] == limits[limit]), None)
    if reached is not None:
        audit.record(
            session,
            person_id,
            "code_tries_limit_reached",
            person_id if reached is Limit.sender else None,
            f"{kind.value} codes: {counts[reached]} wrong tries in an hour from one {reached.value}"
            if reached is not Limit.overall
            else f"{kind.value} codes: {counts[reached]} wrong tries in an hour overall",
            actor_kind="person" if person_id else "system",
            now=now,
        )
    return reached


def forget_old(session: Session, now: datetime) -> int:
    """Delete tries over a day old (the worker runs this hourly); returns how many."""
    result = session.execute(
        delete(WrongCodeTry).where(WrongCodeTry.tried_at < now - KEEP_FOR).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
