"""The stress bucket: what fills it, how the person knows it is overflowing, what lets water
out. Saved as lists in the person's words (split like WRAP list answers), never deleted.

Linked to the WRAP: overflow signs are early warning signs, and what lets water out belongs in
the wellness toolbox. `copy_to_wrap` copies them (after the person says yes), once each.
These functions flush but never commit; the caller's `unit_of_work()` does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import utc_now
from bot.services.guided import content as guided_content
from bot.services.guided.list_answers import split_items
from bot.services.wrap import plan as wrap
from bot.store.goals_models import BucketItem
from bot.store.models import WrapItem

KINDS = ("fills", "overflow", "lets_out")
# Which WRAP question each kind is copied into.
WRAP_QUESTION_FOR = {"overflow": "warning_signs", "lets_out": "toolbox"}
MAX_ITEM_CHARS = 300


def content() -> guided_content.GuidedContent:
    return guided_content.load("bucket.yml")


def save_items(
    session: Session, person_id: str, kind: str, text: str, channel: str, now: datetime | None = None
) -> list[BucketItem]:
    """Save one answer (a list); returns only the items that were new."""
    if kind not in KINDS:
        raise ValueError(f"Unknown bucket part {kind!r}.")
    known = {item.text.casefold() for item in current_items(session, person_id)[kind]}
    saved = []
    for text_item in split_items(text or ""):
        words = " ".join(text_item.split())[:MAX_ITEM_CHARS]
        if not any(char.isalnum() for char in words) or words.casefold() in known:
            continue
        known.add(words.casefold())
        item = BucketItem(person_id=person_id, kind=kind, text=words, channel=channel, created_at=now or utc_now())
        session.add(item)
        saved.append(item)
    session.flush()
    return saved


def current_items(session: Session, person_id: str) -> dict[str, list[BucketItem]]:
    """Live items by part, in the order given."""
    found: dict[str, list[BucketItem]] = {kind: [] for kind in KINDS}
    for item in session.execute(
        select(BucketItem)
        .where(BucketItem.person_id == person_id, BucketItem.removed_at.is_(None))
        .order_by(BucketItem.created_at, BucketItem.id)
    ).scalars():
        found.setdefault(item.kind, []).append(item)
    return found


def texts(session: Session, person_id: str) -> dict[str, list[str]]:
    return {kind: [item.text for item in items] for kind, items in current_items(session, person_id).items()}


def is_empty(session: Session, person_id: str) -> bool:
    return not any(current_items(session, person_id).values())


def not_yet_in_wrap(session: Session, person_id: str) -> list[BucketItem]:
    """Overflow signs and ways to let water out that have not been copied into the plan."""
    items = current_items(session, person_id)
    return [item for kind in WRAP_QUESTION_FOR for item in items[kind] if item.wrap_item_id is None]


def copy_to_wrap(session: Session, person_id: str, channel: str) -> list[WrapItem]:
    """Copy overflow signs into early warning signs and ways to let water out into the wellness
    toolbox. An item the plan already has is linked, not added twice. Returns new plan items."""
    plan = wrap.plan_for(session, person_id)
    position = plan.position_question_id  # copying must not move where the person is in the plan
    added: list[WrapItem] = []
    for item in not_yet_in_wrap(session, person_id):
        question_id = WRAP_QUESTION_FOR[item.kind]
        new = wrap.save_answer(session, plan, question_id, item.text, channel)
        added += new
        match = next(
            (
                existing
                for existing in wrap.current_items(session, plan, question_id=question_id)
                if existing.text.casefold() == item.text.casefold()
            ),
            new[0] if new else None,
        )
        if match is not None:
            item.wrap_item_id = match.id
    plan.position_question_id = position
    session.flush()
    return added


def picture(items: dict[str, list[str]], id_prefix: str = "bucket") -> str | None:
    """The bucket as an accessible SVG (bot/services/recovery/bucket_svg.py), or None when it is empty."""
    from bot.services.guided.list_answers import join_for_reading
    from bot.services.recovery.bucket_svg import bucket_svg

    if not any(items.get(kind) for kind in KINDS):
        return None
    words = content()
    nothing = words.text("nothing_yet")
    described = {kind: join_for_reading(items.get(kind) or []) or nothing for kind in KINDS}
    return bucket_svg(
        list(items.get("fills") or []),
        list(items.get("overflow") or []),
        list(items.get("lets_out") or []),
        title=words.text("picture_title"),
        description=words.text("picture_description", **described),
        labels={step.id: step.label for step in words.steps},
        empty=nothing,
        id_prefix=id_prefix,
    )
