"""The audit log: record who did what with whose data, and check nobody changed the record.

Call `record()` inside the unit of work that does the thing being recorded, so the entry is
saved if and only if the thing happened. Entries must be content-free: ids, an action name
from the list below, and a short detail such as category ids ("triggers,crisis_plan"), never
plan text, names, labels, usernames typed at sign-in, or numbers.

Appending first bumps the single chain-head row (UPDATE ... SET last_seq = last_seq + 1). That
statement takes the row lock on PostgreSQL and the database's write lock on SQLite, and both
are held until the caller commits, so two writers queue up instead of forking the chain.
`verify()` walks the chain and names the first entry that does not match.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.common.clock import as_utc, utc_now
from bot.settings import get_settings
from bot.store.audit_models import GENESIS_HASH, AuditChainHead, AuditEntry

HEAD_ID = 1
MAX_DETAIL_CHARS = 200

# Who acts. Staff and people are ids of people; the admin command and the system have none.
ACTOR_KINDS = frozenset({"staff", "person", "admin", "system"})

# What happened. Add to this list rather than inventing names at call sites.
ACTIONS = frozenset(
    {
        # staff reading a person's data
        "caseload_viewed",
        "person_viewed",
        "summary_viewed",
        # sharing and consent (bot/services/consent/sharing.py and consent.py call these)
        "share_created",
        "share_acknowledged",
        "consent_granted",
        "consent_withdrawn",
        "consent_declined",
        # a person's own data
        "data_exported",
        "erasure_requested",
        "data_erased",
        # sign-in ("sign_in_locked" is from before per-address throttling, kept for old entries)
        "sign_in",
        "sign_in_failed",
        "sign_in_throttled",
        "sign_in_locked",
        "sign_out",
        # administration ("account_unlocked": an account's failed sign-ins cleared)
        "coordinator_created",
        "password_set",
        "sessions_ended",
        "account_disabled",
        "account_enabled",
        "account_unlocked",
        "enrolment_code_issued",
        "enrolled_by_code",
        "enrolled_by_phone",
        "enrolment_code_refused",
        # wrong code tries (bot/services/people/code_tries.py): one row when a limit is reached
        "code_tries_limit_reached",
        # carers (bot/services/carers/carers.py): linking, a carer reading what was shared, their messages
        "carer_code_issued",
        "carer_linked",
        "carer_unlinked",
        "carer_viewed_shared",
        "carer_message_left",
        "carer_message_marked_urgent",
        "carer_messages_viewed",
        "carer_message_replied",
        # a person's own message for their coordinator (bot/services/coordination/team_messages.py)
        "team_message_sent",
        "team_messages_viewed",
        # SMS: crisis help asked for from a number that had sent STOP (bot/services/sms/turns.py)
        "crisis_help_after_opt_out",
    }
)


class AuditError(ValueError):
    """A call to record() broke the rules (unknown action or actor kind, a detail too long)."""


def record(
    session: Session,
    actor_id: str | None,
    action: str,
    subject_person_id: str | None = None,
    detail: str = "",
    *,
    actor_kind: str = "staff",
    now: datetime | None = None,
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction (flushes, never commits)."""
    if action not in ACTIONS:
        raise AuditError(f"Unknown audit action {action!r}; add it to bot.services.privacy.audit.ACTIONS.")
    if actor_kind not in ACTOR_KINDS:
        raise AuditError(f"Unknown audit actor kind {actor_kind!r}.")
    if len(detail) > MAX_DETAIL_CHARS:
        raise AuditError(f"Audit detail is longer than {MAX_DETAIL_CHARS} characters.")
    session.flush()  # anything pending goes first, so our lock is taken in a known order
    bumped = session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .values(last_seq=AuditChainHead.last_seq + 1)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:
        raise AuditError("The audit chain head is missing: run the migrations (python -m bot migrate).")
    seq, prev_hash = session.execute(
        select(AuditChainHead.last_seq, AuditChainHead.last_hash).where(AuditChainHead.id == HEAD_ID)
    ).one()
    entry = AuditEntry(
        seq=seq,
        recorded_at=as_utc(now or utc_now()),
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        subject_person_id=subject_person_id,
        detail=detail,
        prev_hash=prev_hash,
    )
    entry.entry_hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .values(last_hash=entry.entry_hash)
        .execution_options(synchronize_session=False)
    )
    return entry


def entry_hash(entry: AuditEntry) -> str:
    """HMAC-SHA256 (keyed with SECRET_KEY) over the entry's fields and the previous hash."""
    fields = [
        entry.seq,
        as_utc(entry.recorded_at).isoformat(timespec="microseconds"),
        entry.actor_kind,
        entry.actor_id,
        entry.action,
        entry.subject_person_id,
        entry.detail,
        entry.prev_hash,
    ]
    message = json.dumps(fields, separators=(",", ":"), ensure_ascii=True).encode()
    key = hashlib.sha256(b"alongside-audit-chain\x00" + get_settings().secret_key.encode()).digest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    broken_seq: int | None = None
    broken_at: datetime | None = None
    problem: str = ""


def verify(session: Session) -> Verification:
    """Check the whole chain; report the first entry that is wrong, and why."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for entry in _entries(session):
        if entry.seq != expected_seq:
            return _broken(entry, f"entries {expected_seq} to {entry.seq - 1} are missing", checked)
        if entry.prev_hash != prev_hash:
            return _broken(entry, "it does not follow on from the entry before it", checked)
        if not hmac.compare_digest(entry.entry_hash, entry_hash(entry)):
            return _broken(entry, "its contents were changed after it was written", checked)
        expected_seq, prev_hash, checked = entry.seq + 1, entry.entry_hash, checked + 1
    head = session.execute(select(AuditChainHead).where(AuditChainHead.id == HEAD_ID)).scalar_one_or_none()
    if head is None:
        return Verification(False, checked, None, None, "the chain head is missing")
    if head.last_seq != checked or head.last_hash != prev_hash:
        return Verification(
            False,
            checked,
            checked + 1,
            None,
            f"the log ends at entry {checked}, but {head.last_seq} entries were written "
            "(entries at the end were removed or replaced)",
        )
    return Verification(True, checked)


def entries_about(session: Session, person_id: str) -> list[AuditEntry]:
    """Every entry about one person, oldest first (for a subject access request)."""
    return list(
        session.execute(
            select(AuditEntry).where(AuditEntry.subject_person_id == person_id).order_by(AuditEntry.seq)
        ).scalars()
    )


def _entries(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    after = 0
    while True:
        rows = list(
            session.execute(
                select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(batch)
            ).scalars()
        )
        if not rows:
            return
        after = rows[-1].seq
        for row in rows:
            yield row
            session.expunge(row)  # keep memory flat on a long log


def _broken(entry: AuditEntry, problem: str, checked: int) -> Verification:
    return Verification(False, checked, entry.seq, as_utc(entry.recorded_at), problem)
