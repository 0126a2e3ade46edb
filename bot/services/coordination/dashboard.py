"""What a care coordinator sees: their caseload, and a person's shared plan.

The rule that matters (DESIGN.md, safety and privacy rule 2): a coordinator sees a person only
while the person is on their active caseload, and sees only the WRAP sections the person's
active consents to that coordinator cover, read fresh on every request, so a withdrawal takes
effect on the next page. Everything shown is the person's saved items, as they wrote them:
nothing is generated or summarised.

What counts as "new" is kept per person, for each coordinator: `coordinator_views` holds how far
this coordinator has seen this person's page (`last_viewed_at`, moved on only when they open
that page). The caseload counts, and the person's page marks, what was saved or shared after
it, so an item stays new across sign-ins until its person's page is opened; a person whose page
this coordinator has never opened has everything they share counted as new.

Every read of a person's data is audited in the same transaction (bot/services/privacy/audit.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import as_utc, as_utc_or_none
from bot.services.consent import sharing
from bot.services.consent.ledger import active_categories
from bot.services.coordination import review_flags
from bot.services.coordination.dashboard_content import load_dashboard_content
from bot.services.people import enrolment
from bot.services.privacy import audit
from bot.services.wrap import plan as wrap
from bot.services.wrap.content import load_wrap_content
from bot.store.consent_models import ShareEvent
from bot.store.dashboard_models import CoordinatorView
from bot.store.models import WrapItem, WrapPlan

# -- the caseload -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadRow:
    person_id: str
    label: str
    shared: tuple[str, ...]  # names of what they share with this coordinator now
    new_count: int  # items new or newly shared since this coordinator last opened the person's page
    waiting_since: datetime | None  # the oldest share not yet acknowledged
    review_suggested: bool = False  # the person agreed their coordinator may be told they feel stuck
    seen_up_to: datetime | None = None  # when this coordinator last opened their page (None: never)


def caseload_overview(session: Session, coordinator_id: str, now: datetime) -> list[CaseloadRow]:
    """One row per person on the coordinator's active caseload, by label. What is new is
    counted from each person's own "seen up to" (`seen_up_to`), not from the last sign-in:
    looking at the caseload, or signing in again, marks nothing as seen."""
    names = load_dashboard_content()
    rows = []
    flagged = {flag.person_id for flag in review_flags.flags_for_coordinator(session, coordinator_id)}
    seen = seen_up_to(session, coordinator_id)
    for person in enrolment.active_caseload(session, coordinator_id):
        active = active_categories(session, person.person_id, coordinator_id, now)
        events = _share_events(session, person.person_id, coordinator_id)
        since = seen.get(person.person_id)
        rows.append(
            CaseloadRow(
                person_id=person.person_id,
                label=person.label,
                shared=tuple(names.category_name(c) for c in _in_content_order(active)),
                new_count=_new_count(session, person.person_id, active, events, since),
                waiting_since=_waiting_since(events, active),
                # Shown only while the consent behind the flag is active.
                review_suggested=person.person_id in flagged and review_flags.CATEGORY in active,
                seen_up_to=since,
            )
        )
    audit.record(session, coordinator_id, "caseload_viewed", None, f"{len(rows)} people", now=now)
    return rows


# -- a person's page --------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownItem:
    text: str
    mark: str | None = None  # "new" or "changed" since the coordinator last looked


@dataclass(frozen=True)
class ShownQuestion:
    label: str
    is_list: bool
    items: tuple[ShownItem, ...]


@dataclass(frozen=True)
class ShownSection:
    id: str
    title: str
    newly_shared: bool
    questions: tuple[ShownQuestion, ...]


@dataclass(frozen=True)
class PersonPage:
    person_id: str
    label: str
    sections: tuple[ShownSection, ...]
    other_shared: tuple[str, ...]  # shared categories with nothing to show here yet
    waiting_since: datetime | None
    waiting: tuple[str, ...]  # names of what waits to be acknowledged
    last_viewed_at: datetime | None
    removed_since: int  # items the person took out since the last look

    @property
    def nothing_shared(self) -> bool:
        return not self.sections and not self.other_shared


def open_person_page(session: Session, coordinator_id: str, person_id: str, now: datetime) -> PersonPage | None:
    """The person's shared plan for this coordinator, or None if they are not on the caseload.

    Opening it marks what was shared as read, moves this coordinator's "seen up to" for this
    person on to `now` (so nothing on it counts as new on the caseload any more), and audits it.
    """
    entry = enrolment.active_entry(session, coordinator_id, person_id)
    if entry is None:
        return None
    visible = sharing.visible_plan(session, person_id, coordinator_id, now)
    active, items = set(visible.categories), list(visible.items)
    events = _share_events(session, person_id, coordinator_id)
    view = _view(session, coordinator_id, person_id)
    last_viewed = as_utc_or_none(view.last_viewed_at) if view else None
    newly_shared = _shared_since(events, active, last_viewed)
    sections = tuple(
        ShownSection(section.id, section.title, section.id in newly_shared, _questions(section, items, last_viewed))
        for section in load_wrap_content().sections
        if section.id in active
    )
    waiting = _waiting_events(events, active)
    names = load_dashboard_content()
    page = PersonPage(
        person_id=person_id,
        label=enrolment.label_for(session, entry),
        sections=sections,
        other_shared=tuple(names.category_name(c) for c in _in_content_order(active) if c not in _wrap_ids()),
        waiting_since=_waiting_since(events, active),
        waiting=tuple(names.category_name(c) for c in _in_content_order(_categories_of(waiting) & active)),
        last_viewed_at=last_viewed,
        removed_since=_removed_since(session, person_id, active, last_viewed),
    )
    for event in events:
        if event.read_at is None and _categories_of([event]) & active:
            event.read_at = now
    _mark_seen(session, view, coordinator_id, person_id, now)
    session.flush()
    audit.record(session, coordinator_id, "person_viewed", person_id, _detail(active), now=now)
    return page


@dataclass(frozen=True)
class Summary:
    label: str
    sections: tuple[ShownSection, ...]
    made_at: datetime


def printable_summary(session: Session, coordinator_id: str, person_id: str, now: datetime) -> Summary | None:
    """The shared sections, saved items only, for printing; None if not on the caseload."""
    entry = enrolment.active_entry(session, coordinator_id, person_id)
    if entry is None:
        return None
    visible = sharing.visible_plan(session, person_id, coordinator_id, now)
    active, items = set(visible.categories), list(visible.items)
    sections = tuple(
        ShownSection(section.id, section.title, False, _questions(section, items, None))
        for section in load_wrap_content().sections
        if section.id in active
    )
    audit.record(session, coordinator_id, "summary_viewed", person_id, _detail(active), now=now)
    return Summary(enrolment.label_for(session, entry), sections, now)


# -- what this coordinator has seen, per person -------------------------------------------------


def seen_up_to(session: Session, coordinator_id: str) -> dict[str, datetime]:
    """For each person whose page this coordinator has opened: up to when they have seen it."""
    rows = session.execute(
        select(CoordinatorView.person_id, CoordinatorView.last_viewed_at).where(
            CoordinatorView.coordinator_id == coordinator_id
        )
    ).all()
    return {person_id: as_utc(seen) for person_id, seen in rows}


def _view(session: Session, coordinator_id: str, person_id: str) -> CoordinatorView | None:
    return session.execute(
        select(CoordinatorView).where(
            CoordinatorView.coordinator_id == coordinator_id, CoordinatorView.person_id == person_id
        )
    ).scalar_one_or_none()


def _mark_seen(
    session: Session, view: CoordinatorView | None, coordinator_id: str, person_id: str, now: datetime
) -> None:
    """Seen up to `now`; never moved back (a request that started earlier may finish later)."""
    if view is None:
        session.add(CoordinatorView(coordinator_id=coordinator_id, person_id=person_id, last_viewed_at=now))
    elif as_utc(view.last_viewed_at) < now:
        view.last_viewed_at = now


# -- shared helpers (also used by acknowledgements and reminders) -----------------------------


def waiting_share_events(
    session: Session, person_id: str, coordinator_id: str, now: datetime
) -> tuple[list[ShareEvent], set[str]]:
    """Shares not yet acknowledged that still show something, and the active categories."""
    active = active_categories(session, person_id, coordinator_id, now)
    return _waiting_events(_share_events(session, person_id, coordinator_id), active), active


def categories_of(events: Iterable[ShareEvent]) -> set[str]:
    return _categories_of(events)


def in_content_order(categories: Iterable[str]) -> list[str]:
    return _in_content_order(categories)


def _share_events(session: Session, person_id: str, coordinator_id: str) -> list[ShareEvent]:
    return list(
        session.execute(
            select(ShareEvent)
            .where(ShareEvent.person_id == person_id, ShareEvent.coordinator_id == coordinator_id)
            .order_by(ShareEvent.created_at)
        ).scalars()
    )


def _categories_of(events: Iterable[ShareEvent]) -> set[str]:
    return {c.strip() for event in events for c in (event.categories or "").split(",") if c.strip()}


def _waiting_events(events: list[ShareEvent], active: set[str]) -> list[ShareEvent]:
    return [e for e in events if e.acknowledged_at is None and _categories_of([e]) & active]


def _waiting_since(events: list[ShareEvent], active: set[str]) -> datetime | None:
    waiting = _waiting_events(events, active)
    return as_utc(waiting[0].created_at) if waiting else None


def _shared_since(events: list[ShareEvent], active: set[str], since: datetime | None) -> set[str]:
    """Categories shared after `since` (all active ones when there is no `since`)."""
    if since is None:
        return set(active)
    return _categories_of(e for e in events if as_utc(e.created_at) > since) & active


def _questions(section, items: list[WrapItem], since: datetime | None) -> tuple[ShownQuestion, ...]:
    shown = []
    for question in section.questions:
        found = [item for item in items if item.question_id == question.id]
        if found:
            shown.append(ShownQuestion(question.label, question.is_list, tuple(_shown(i, since) for i in found)))
    return tuple(shown)


def _shown(item: WrapItem, since: datetime | None) -> ShownItem:
    if since is None or as_utc(item.created_at) <= since:
        return ShownItem(item.text)
    return ShownItem(item.text, "changed" if item.replaces_id else "new")


def _new_count(
    session: Session, person_id: str, active: set[str], events: list[ShareEvent], since: datetime | None
) -> int:
    newly_shared = _shared_since(events, active, since)
    return sum(
        1
        for item in sharing.shared_items(session, person_id, active)
        if item.section_id in newly_shared or since is None or as_utc(item.created_at) > since
    )


def _removed_since(session: Session, person_id: str, active: set[str], since: datetime | None) -> int:
    """Items taken out (not changed) since the last look, in sections still shared."""
    if since is None or not active:
        return 0
    plan = session.execute(select(WrapPlan).where(WrapPlan.person_id == person_id)).scalar_one_or_none()
    if plan is None:
        return 0
    everything = wrap.history(session, plan)
    replaced = {item.replaces_id for item in everything if item.replaces_id}
    return sum(
        1
        for item in everything
        if item.removed_at is not None
        and as_utc(item.removed_at) > since
        and item.section_id in active
        and item.id not in replaced
    )


def _wrap_ids() -> set[str]:
    return {section.id for section in load_wrap_content().sections}


def _in_content_order(categories: Iterable[str]) -> list[str]:
    order = {section.id: index for index, section in enumerate(load_wrap_content().sections)}
    return sorted(set(categories), key=lambda c: (order.get(c, len(order)), c))


def _detail(active: set[str]) -> str:
    """Which categories were on the page: ids only, content-free."""
    return ("shown:" + ",".join(_in_content_order(active)))[: audit.MAX_DETAIL_CHARS]
