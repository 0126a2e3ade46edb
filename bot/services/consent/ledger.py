"""The consent ledger: who a person has chosen to share each kind of information with.

Records are append-only (bot/store/consent_models.py): granting, declining ("no" or "not
now") and withdrawing each add a record holding the exact wording the person was shown, the
channel, and a review date CONSENT_REVIEW_MONTHS ahead. The latest record for a (person,
recipient, category) is the person's current choice; nothing is ever updated or deleted.

THE RULE FOR ANYONE WHO SHOWS A PERSON'S INFORMATION TO SOMEONE ELSE (the coordinator
dashboard, carers' views, summaries):

    active_categories(session, person_id, recipient_id, now=None) -> set[str]

is the set of categories this recipient may see right now. Ask it on every request and show
nothing outside it (DESIGN.md rule 2). It is empty unless the latest record for a category is
"granted" and its review date has not passed, so a withdrawal hides the category on the very
next request, and a consent whose review date has passed shares nothing more until the person
says yes again. `bot.services.consent.sharing.visible_to()` applies it to the plan for you.

Categories are the WRAP section ids (content/wrap.yml) plus goals_checkins, recovery_meaning
and crisis_alerts; their names are in content/consent.yml. These functions flush but never
commit: the caller's unit_of_work() does, so a consent and what it causes are saved together.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import utc_now
from bot.services.consent.content import CATEGORY_IDS, load_consent_content
from bot.services.messaging import outbox

# Who the coordinator is lives in bot/services/people/coordinators.py; named here too because every
# sharing question starts with it.
from bot.services.people.coordinators import Coordinator, coordinator_for  # noqa: F401
from bot.services.privacy import audit
from bot.settings import get_settings
from bot.store.consent_models import ConsentDecision, ConsentRecord, RecipientKind, ShareEvent
from bot.store.staff_models import StaffAccount


@dataclass(frozen=True)
class Recipient:
    """Someone in a person's ledger, and what they can see now (for "who can see my plan?")."""

    recipient_id: str
    kind: RecipientKind
    name: str | None  # the coordinator's display name; None for a carer (not named yet)
    active: frozenset[str]  # categories they can see now
    to_review: frozenset[str]  # granted once, but the review date has passed: hidden until renewed


# -- recording a choice -----------------------------------------------------------------------


def grant(session: Session, person_id: str, recipient_id: str, categories: Iterable[str], **how) -> list[ConsentRecord]:
    """The person said yes to sharing these categories with this recipient.

    Keyword arguments (all three record functions): wording= the exact words they were shown,
    channel=, recipient_kind= (coordinator by default), now=.
    """
    return _append(session, person_id, recipient_id, categories, ConsentDecision.granted, **how)


def decline(
    session: Session, person_id: str, recipient_id: str, categories: Iterable[str], **how
) -> list[ConsentRecord]:
    """The person said no, or not now: remembered, and not asked again until the review date."""
    return _append(session, person_id, recipient_id, categories, ConsentDecision.declined, **how)


def share_notice_key(share_event_id: str) -> str:
    """The outbox key of the one "something new" notification a share event sends."""
    return f"share-event:{share_event_id}"


def withdraw(
    session: Session, person_id: str, recipient_id: str, categories: Iterable[str], **how
) -> list[ConsentRecord]:
    """Stop sharing at once. Only categories currently granted get a record; returns those."""
    latest = latest_records(session, person_id, recipient_id)
    granted = [c for c in categories if c in latest and latest[c].decision == ConsentDecision.granted]
    records = _append(session, person_id, recipient_id, granted, ConsentDecision.withdrawn, **how)
    if records:
        _cancel_notices_with_nothing_to_see(session, person_id, recipient_id, how.get("now"))
    return records


def _cancel_notices_with_nothing_to_see(
    session: Session, person_id: str, recipient_id: str, now: datetime | None
) -> None:
    """A share withdrawn before its notification went: the coordinator would sign in to find
    nothing, so a notification still waiting for a share with nothing left to see is cancelled."""
    still = active_categories(session, person_id, recipient_id, now)
    events = session.execute(
        select(ShareEvent).where(ShareEvent.person_id == person_id, ShareEvent.coordinator_id == recipient_id)
    ).scalars()
    for event in events:
        if not still & set(filter(None, event.categories.split(","))):
            outbox.cancel_pending_key(session, share_notice_key(event.id), "share withdrawn before it was sent")


# -- what holds now ---------------------------------------------------------------------------


def latest_records(session: Session, person_id: str, recipient_id: str) -> dict[str, ConsentRecord]:
    """The person's current choice for each category they have decided about, for a recipient."""
    records = session.execute(
        select(ConsentRecord)
        .where(ConsentRecord.person_id == person_id, ConsentRecord.recipient_id == recipient_id)
        .order_by(ConsentRecord.recorded_at)
    ).scalars()
    latest: dict[str, ConsentRecord] = {}
    for record in records:  # oldest first, so the newest wins
        latest[record.category] = record
    return latest


def active_categories(session: Session, person_id: str, recipient_id: str, now: datetime | None = None) -> set[str]:
    """What this recipient may see now: the categories whose latest record is a grant that is
    not yet due for review. Ask this on every request that shows a person's information."""
    now = now or utc_now()
    return {
        category
        for category, record in latest_records(session, person_id, recipient_id).items()
        if record.decision == ConsentDecision.granted and not _review_passed(record, now)
    }


def needs_review(session: Session, person_id: str, recipient_id: str, now: datetime | None = None) -> set[str]:
    """Categories shared once whose review date has passed: shown to nobody until the person
    says yes again (the bot asks before anything more is shared)."""
    now = now or utc_now()
    return {
        category
        for category, record in latest_records(session, person_id, recipient_id).items()
        if record.decision == ConsentDecision.granted and _review_passed(record, now)
    }


def may_ask(session: Session, person_id: str, recipient_id: str, category: str, now: datetime | None = None) -> bool:
    """Whether to offer to share a category unprompted (after finishing a section).

    Yes if the person has never decided, or their decision is due for review; no while a
    "no", "not now" or a withdrawal stands (so Alongside does not nag), or while it is shared.
    """
    record = latest_records(session, person_id, recipient_id).get(category)
    return record is None or _review_passed(record, now or utc_now())


def granted_on(session: Session, person_id: str, recipient_id: str, category: str) -> datetime | None:
    """When the current grant of a category was given (for "on 3 March you chose to share")."""
    record = latest_records(session, person_id, recipient_id).get(category)
    if record is None or record.decision != ConsentDecision.granted:
        return None
    return _aware(record.recorded_at)


def sharing_overview(session: Session, person_id: str, now: datetime | None = None) -> list[Recipient]:
    """Everyone the person has ever shared with, and what each can see now (coordinators first)."""
    now = now or utc_now()
    pairs = session.execute(
        select(ConsentRecord.recipient_id, ConsentRecord.recipient_kind)
        .where(ConsentRecord.person_id == person_id)
        .distinct()
    ).all()
    recipients = []
    for recipient_id, kind in pairs:
        name = None
        if kind == RecipientKind.coordinator:
            staff = session.get(StaffAccount, recipient_id)
            name = staff.display_name if staff else None
        recipients.append(
            Recipient(
                recipient_id,
                RecipientKind(kind),
                name,
                frozenset(active_categories(session, person_id, recipient_id, now)),
                frozenset(needs_review(session, person_id, recipient_id, now)),
            )
        )
    recipients.sort(key=lambda r: (r.kind != RecipientKind.coordinator, r.name or "", r.recipient_id))
    return recipients


def review_date(now: datetime | None = None) -> datetime:
    """When a choice made now comes up for review: CONSENT_REVIEW_MONTHS ahead."""
    return add_months(now or utc_now(), get_settings().consent_review_months)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later, or the month's last day if it is shorter (31 Aug + 6 -> 28 Feb)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


# -- helpers ----------------------------------------------------------------------------------


def _append(
    session: Session,
    person_id: str,
    recipient_id: str,
    categories: Iterable[str],
    decision: ConsentDecision,
    *,
    wording: str,
    channel: str,
    recipient_kind: RecipientKind = RecipientKind.coordinator,
    now: datetime | None = None,
) -> list[ConsentRecord]:
    categories = list(dict.fromkeys(categories))
    unknown = [c for c in categories if c not in CATEGORY_IDS]
    if unknown:
        raise ValueError(f"Unknown consent category {unknown[0]!r}.")
    if not (wording or "").strip():
        raise ValueError("A consent record needs the exact wording the person was shown.")
    now = _aware(now or utc_now())
    latest = latest_records(session, person_id, recipient_id)
    records = []
    for category in categories:
        recorded_at = now
        previous = latest.get(category)
        if previous is not None and _aware(previous.recorded_at) >= recorded_at:
            # Two decisions in the same instant (or a clock step back): keep them in order,
            # because the latest record is the one that counts.
            recorded_at = _aware(previous.recorded_at) + timedelta(microseconds=1)
        records.append(
            ConsentRecord(
                person_id=person_id,
                recipient_kind=recipient_kind,
                recipient_id=recipient_id,
                category=category,
                decision=decision,
                purpose=load_consent_content().purpose,
                wording=wording.strip(),
                channel=channel,
                recorded_at=recorded_at,
                review_due_at=review_date(recorded_at),
            )
        )
    session.add_all(records)
    session.flush()
    if records:  # every consent change is in the audit log: categories only, never content
        audit.record(
            session,
            person_id,
            f"consent_{decision.value}",
            person_id,
            f"{recipient_kind.value}:{recipient_id} " + ",".join(record.category for record in records),
            actor_kind="person",
            now=now,
        )
    return records


def _review_passed(record: ConsentRecord, now: datetime) -> bool:
    return record.review_due_at is not None and _aware(record.review_due_at) <= _aware(now)


def _aware(moment: datetime) -> datetime:
    """In UTC. SQLite gives back naive datetimes; everything stored is UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
