"""What is shared, built only from what the person saved, and sharing it with their coordinator.

`preview()` is exactly what a set of categories would show: the live (not removed) plan items
of those WRAP sections, grouped by section, in plan order, as the person wrote them. Nothing is
generated or summarised. `visible_to()` is the same for whatever a recipient's active consents
cover now: the view the coordinator dashboard should show (see bot/services/consent/ledger.py).

`share_with_coordinator()` does, in the caller's one transaction: the consent records, a
ShareEvent for the dashboard's "new since your last visit", and one notification in the outbox
that holds no name and nothing about health (content/consent.yml). If the coordinator has no
notification address (or an unknown channel), the share still happens: the dashboard shows it,
and nothing is queued.

Goals and check-ins, what recovery means, and crisis alerts are categories already, but have
nothing to show until those features exist; they add their items here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import utc_now
from bot.services.consent import ledger as consent
from bot.services.consent.content import CATEGORY_IDS, load_consent_content
from bot.services.coordination import staff_notifications
from bot.services.privacy import audit
from bot.services.wrap import plan as wrap
from bot.services.wrap.content import SECTION_IDS, load_wrap_content
from bot.store.consent_models import RecipientKind, ShareEvent
from bot.store.models import WrapItem, WrapPlan
from bot.store.outbox_models import OutboxMessage

NOTIFICATION_PURPOSE = "share-notification"


class NoCoordinator(LookupError):
    """The person is on no coordinator's caseload, so there is no one to share with."""


@dataclass(frozen=True)
class SharedItem:
    label: str  # the question's short heading, e.g. "My triggers"
    text: str  # the person's own words


@dataclass(frozen=True)
class SharedSection:
    category: str
    title: str
    items: tuple[SharedItem, ...]


@dataclass(frozen=True)
class ShareResult:
    coordinator: consent.Coordinator
    share_event: ShareEvent
    notification: OutboxMessage | None  # None when the coordinator has no notification address


def shared_items(session: Session, person_id: str, categories: Iterable[str]) -> list[WrapItem]:
    """The live plan items in these categories, in plan order (empty if there is no plan)."""
    wanted = [c for c in SECTION_IDS if c in set(categories)]
    plan = session.execute(select(WrapPlan).where(WrapPlan.person_id == person_id)).scalar_one_or_none()
    if plan is None or not wanted:
        return []
    return [item for item in wrap.current_items(session, plan) if item.section_id in wanted]


@dataclass(frozen=True)
class Visible:
    categories: frozenset[str]  # what the person's active consents share with this recipient
    items: tuple[WrapItem, ...]  # the live plan items in those categories, in plan order


def visible_plan(session: Session, person_id: str, recipient_id: str, now: datetime | None = None) -> Visible:
    """What this recipient (a coordinator or a carer) may see of the person's plan now. The one
    answer that the dashboard, the printable summary and a carer's view all use, so a withdrawn
    consent hides the same things everywhere at once."""
    categories = frozenset(consent.active_categories(session, person_id, recipient_id, now))
    return Visible(categories, tuple(shared_items(session, person_id, categories)))


def preview(session: Session, person_id: str, categories: Iterable[str]) -> list[SharedSection]:
    """Exactly what these categories would show, grouped by section; sections with nothing
    saved are left out."""
    content = load_wrap_content()
    sections: dict[str, list[SharedItem]] = {}
    for item in shared_items(session, person_id, categories):
        try:
            label = content.question(item.question_id).label
        except KeyError:  # a question a service has since removed: still the person's words
            label = content.section(item.section_id).title
        sections.setdefault(item.section_id, []).append(SharedItem(label, item.text))
    return [
        SharedSection(section_id, content.section(section_id).title, tuple(items))
        for section_id, items in sections.items()
    ]


def categories_with_items(session: Session, person_id: str, categories: Iterable[str]) -> list[str]:
    """Those of these categories that have something saved, in plan order."""
    found = {item.section_id for item in shared_items(session, person_id, categories)}
    return [c for c in CATEGORY_IDS if c in found]


def visible_to(session: Session, person_id: str, recipient_id: str, now: datetime | None = None) -> list[SharedSection]:
    """What this recipient may see of the person now: only what active consents cover."""
    return preview(session, person_id, visible_plan(session, person_id, recipient_id, now).categories)


def share_with_coordinator(
    session: Session,
    person_id: str,
    categories: Iterable[str],
    channel: str,
    *,
    wording: str,
    now: datetime | None = None,
) -> ShareResult:
    """Record consent, create a share event and queue one content-free notification, all in
    the caller's transaction. Raises NoCoordinator, or ValueError for no or unknown categories.
    """
    now = now or utc_now()
    categories = [c for c in CATEGORY_IDS if c in set(categories)]
    if not categories:
        raise ValueError("Nothing to share: no known category was given.")
    coordinator = consent.coordinator_for(session, person_id, now)
    if coordinator is None:
        raise NoCoordinator()
    consent.grant(
        session,
        person_id,
        coordinator.person_id,
        categories,
        wording=wording,
        channel=channel,
        recipient_kind=RecipientKind.coordinator,
        now=now,
    )
    event = ShareEvent(
        person_id=person_id, coordinator_id=coordinator.person_id, categories=",".join(categories), created_at=now
    )
    session.add(event)
    session.flush()
    audit.record(session, person_id, "share_created", person_id, f"share:{event.id}", actor_kind="person", now=now)
    return ShareResult(coordinator, event, _notify(session, coordinator, event))


def _notify(session: Session, coordinator: consent.Coordinator, event: ShareEvent) -> OutboxMessage | None:
    content = load_consent_content()
    return staff_notifications.notify_coordinator(
        session,
        coordinator.person_id,
        event.person_id,
        body=content.notification_body,
        subject=content.notification_subject,
        idempotency_key=consent.share_notice_key(event.id),
        purpose=NOTIFICATION_PURPOSE,
    )
