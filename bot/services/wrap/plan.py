"""A person's wellness and recovery plan (WRAP): saved an answer at a time, read back in order.

Each answer is saved the moment it is given, so a person can stop at any question and carry on
later, on any channel, with nothing lost. Items are never deleted while the plan exists: removing
or changing one marks it removed, so the plan keeps its history and "undo" is always possible.
These functions flush but never commit; the caller's `unit_of_work()` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.common.clock import utc_now
from bot.services.guided.list_answers import split_items
from bot.services.wrap.content import Question, Section, is_known_question, load_wrap_content, match_words
from bot.store.models import WrapItem, WrapPlan, WrapSkip, new_id

# Words that say little about which item a person means ("remove the walk" finds "a walk").
_FILLER_WORDS = frozenset(["a", "an", "the", "my", "me", "i", "to", "of", "and", "or", "it", "that", "this"])
_MIN_PREFIX_CHARS = 3  # "walk" finds "walks" and "walking", but "a" does not find "anything"


@dataclass(frozen=True)
class Progress:
    """How far through the plan a person is, for "you have started n of 7 parts"."""

    started_section_ids: tuple[str, ...]
    total_sections: int
    next_section_id: str | None  # the first section with nothing in it that was not all skipped

    @property
    def started(self) -> int:
        return len(self.started_section_ids)


# -- the plan ---------------------------------------------------------------------------------


def plan_for(session: Session, person_id: str) -> WrapPlan:
    """The person's plan, created the first time they start one."""
    plan = session.execute(select(WrapPlan).where(WrapPlan.person_id == person_id)).scalar_one_or_none()
    if plan is None:
        plan = WrapPlan(person_id=person_id, last_item_number=0)
        session.add(plan)
        session.flush()
    return plan


def save_answer(session: Session, plan: WrapPlan, question_id: str, text: str, channel: str) -> list[WrapItem]:
    """Save one message's answer; returns only the items that were new.

    A list answer is split into items; a text answer is one item, as written. An item the plan
    already holds for this question (ignoring case) is not saved twice. The question becomes the
    plan's position even when nothing new was saved, so the person resumes where they were.
    """
    question = _question(question_id)
    already_saved = current_items(session, plan, question_id=question.id)
    known = {_same_text_key(item.text) for item in already_saved}
    texts = []
    for item_text in _answer_texts(question, text):
        key = _same_text_key(item_text)
        if key not in known:
            known.add(key)
            texts.append(item_text)
    plan.position_question_id = question.id
    if not texts:
        session.flush()
        return []
    answer_id = new_id()
    items = [
        WrapItem(
            plan_id=plan.id,
            answer_id=answer_id,
            number=number,
            section_id=question.section_id,
            question_id=question.id,
            item_kind=question.item_kind,
            text=item_text,
            channel=channel,
        )
        for number, item_text in zip(_next_item_numbers(session, plan, len(texts)), texts, strict=True)
    ]
    session.add_all(items)
    session.flush()
    return items


def current_items(
    session: Session,
    plan: WrapPlan,
    section_id: str | None = None,
    question_id: str | None = None,
) -> list[WrapItem]:
    """The plan as it stands (live items), in the order the content asks the questions."""
    query = _live(plan)
    if section_id is not None:
        query = query.where(WrapItem.section_id == _section(section_id).id)
    if question_id is not None:
        query = query.where(WrapItem.question_id == _question(question_id).id)
    return sorted(session.execute(query).scalars(), key=_plan_order)


def answer_to_offer(session: Session, plan: WrapPlan, question_id: str) -> list[str]:
    """What the person already said to a question that asks the same thing as this one, to
    offer again ("is that still right?"), while this one is unanswered.

    Two questions ask the same thing when one names the other in `same_as` (the daily plan and
    the crisis plan both ask "what are you like when you are well?"); whichever the person meets
    second offers the answer to the first, so they are asked only once.
    """
    question = _question(question_id)
    if current_items(session, plan, question_id=question.id):
        return []
    same = [other.id for other in load_wrap_content().questions if other.same_as == question.id]
    for other_id in ([question.same_as] if question.same_as else []) + same:
        if is_known_question(other_id):
            earlier = current_items(session, plan, question_id=other_id)
            if earlier:
                return [item.text for item in earlier]
    return []


def history(session: Session, plan: WrapPlan) -> list[WrapItem]:
    """Every item ever saved, removed ones too, oldest first (for the person's data export)."""
    query = select(WrapItem).where(WrapItem.plan_id == plan.id).order_by(WrapItem.number, WrapItem.created_at)
    return list(session.execute(query).scalars())


# -- changing what is there -------------------------------------------------------------------


def undo_last_answer(session: Session, plan: WrapPlan) -> list[WrapItem]:
    """Take back the newest answer still in the plan, all of its items; [] when there is none."""
    newest = session.execute(_live(plan).order_by(WrapItem.number.desc()).limit(1)).scalar_one_or_none()
    if newest is None:
        return []
    items = list(
        session.execute(_live(plan).where(WrapItem.answer_id == newest.answer_id).order_by(WrapItem.number)).scalars()
    )
    removed_at = utc_now()
    for item in items:
        item.removed_at = removed_at
    _touch(plan)
    session.flush()
    return items


def remove_item(session: Session, plan: WrapPlan, item_id: str) -> WrapItem:
    """Take one item out of the plan (kept in its history). ValueError if it is not in the plan."""
    item = _live_item(session, plan, item_id)
    item.removed_at = utc_now()
    _touch(plan)
    session.flush()
    return item


def change_item(session: Session, plan: WrapPlan, item_id: str, new_text: str, channel: str) -> WrapItem:
    """Put new words in place of an item: a new item that points back to the one it replaces.
    It takes the old item's number, so it keeps its place in the plan."""
    old = _live_item(session, plan, item_id)
    text = (new_text or "").strip()
    if not text:
        raise ValueError("An item cannot be changed to nothing; remove it instead.")
    number = old.number
    new = WrapItem(
        plan_id=plan.id,
        answer_id=new_id(),
        number=number,
        section_id=old.section_id,
        question_id=old.question_id,
        item_kind=old.item_kind,
        text=text,
        channel=channel,
        replaces_id=old.id,
    )
    old.removed_at = utc_now()
    session.add(new)
    session.flush()
    return new


def find_items(session: Session, plan: WrapPlan, words: str, section_id: str | None = None) -> list[WrapItem]:
    """Live items that contain the words a person used for them, the closest match first.

    Closest is: the same words (ignoring "a", "the", "my" ...), then the words together as
    written, then every word somewhere, then every word as the start of one ("walk" finds
    "walks"); then the shortest item, so "remove walks" picks "walks" over "walks with the dog".
    """
    wanted = match_words(words or "")
    wanted_meaning = _meaningful(wanted)
    if not wanted_meaning:  # only "the", "my" ...: nothing named
        return []
    ranked = []
    for item in current_items(session, plan, section_id=section_id):
        item_words = match_words(item.text)
        if _meaningful(item_words) == wanted_meaning:
            closeness = 0
        elif f" {' '.join(wanted)} " in f" {' '.join(item_words)} ":
            closeness = 1
        elif all(word in item_words for word in wanted_meaning):
            closeness = 2
        elif all(any(_same_word(want, word) for word in item_words) for want in wanted_meaning):
            closeness = 3
        else:
            continue
        ranked.append((closeness, len(item_words), item))
    ranked.sort(key=lambda entry: (entry[0], entry[1]))  # stable: plan order breaks ties
    return [item for _, _, item in ranked]


# -- where the person is ----------------------------------------------------------------------


def skip_question(session: Session, plan: WrapPlan, question_id: str) -> None:
    """Remember that the person chose to skip a question, so resuming does not ask it again."""
    question = _question(question_id)
    if question.id not in _skipped_question_ids(session, plan):
        session.add(WrapSkip(plan_id=plan.id, question_id=question.id))
        _touch(plan)
        session.flush()


def set_position(session: Session, plan: WrapPlan, question_id: str | None) -> None:
    """Record the question the person is on (None once they have finished or left the plan)."""
    plan.position_question_id = _question(question_id).id if question_id is not None else None
    session.flush()


def resume_question_id(session: Session, plan: WrapPlan) -> str | None:
    """The question to carry on from: where they stopped, else the first one still open.

    A question is open when it has nothing in it and was not skipped; None when none is open.
    """
    content = load_wrap_content()
    position = plan.position_question_id
    if position is not None and is_known_question(position):
        return position
    answered = {item.question_id for item in current_items(session, plan)}
    skipped = _skipped_question_ids(session, plan)
    for question in content.questions:
        if question.id not in answered and question.id not in skipped:
            return question.id
    return None


def next_question_id(session: Session, plan: WrapPlan, after_question_id: str) -> str | None:
    """The question after this one in the same section; None at the end of the section."""
    following = load_wrap_content().next_question_after(_question(after_question_id).id)
    return following.id if following is not None else None


def progress(session: Session, plan: WrapPlan) -> Progress:
    """Sections with something in them, and the first one still to do (skipped ones are done)."""
    content = load_wrap_content()
    answered_sections = {item.section_id for item in current_items(session, plan)}
    skipped = _skipped_question_ids(session, plan)
    started = []
    next_section_id = None
    for section in content.sections:
        if section.id in answered_sections:
            started.append(section.id)
        elif next_section_id is None and not all(qid in skipped for qid in section.question_ids):
            next_section_id = section.id
    return Progress(tuple(started), len(content.sections), next_section_id)


def section_from_text(text: str) -> str | None:
    """The section a person names in their own words ("my triggers"), or None.

    Keywords come from content/wrap.yml. The longest keyword found wins, so "after a crisis"
    means the after-a-crisis section, not the crisis plan; on a tie, the one said first.
    """
    words = match_words(text or "")
    best: tuple[tuple[int, int, int], str] | None = None
    for section in load_wrap_content().sections:
        for keyword in section.keywords:
            keyword_words = match_words(keyword)
            size = len(keyword_words)
            for start in range(len(words) - size + 1):
                if words[start : start + size] == keyword_words:
                    rank = (size, len(" ".join(keyword_words)), -start)
                    if best is None or rank > best[0]:
                        best = (rank, section.id)
    return best[1] if best is not None else None


# -- helpers ----------------------------------------------------------------------------------


def _question(question_id: str) -> Question:
    try:
        return load_wrap_content().question(question_id)
    except KeyError:
        raise ValueError(f"no WRAP question with id {question_id!r}") from None


def _section(section_id: str) -> Section:
    try:
        return load_wrap_content().section(section_id)
    except KeyError:
        raise ValueError(f"no WRAP section with id {section_id!r}") from None


def _answer_texts(question: Question, text: str) -> list[str]:
    if question.is_list:
        return split_items(text or "")
    answer = (text or "").strip()
    return [answer] if answer else []


def _same_text_key(text: str) -> str:
    return " ".join(text.casefold().split())


def _meaningful(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(word for word in words if word not in _FILLER_WORDS)


def _same_word(query: str, word: str) -> bool:
    if query == word:
        return True
    shorter, longer = sorted((query, word), key=len)
    return len(shorter) >= _MIN_PREFIX_CHARS and longer.startswith(shorter)


def _next_item_numbers(session: Session, plan: WrapPlan, count: int) -> range:
    """Number the next `count` items, in the database, so two servers cannot hand out the same.

    The UPDATE adds to the stored number (it does not write back a number read earlier), and
    on PostgreSQL it locks the plan's row until the caller commits.
    """
    plan.last_item_number = WrapPlan.last_item_number + count
    session.flush()
    last = plan.last_item_number  # read back from the database after the UPDATE
    return range(last - count + 1, last + 1)


def _plan_order(item: WrapItem) -> tuple[int, int, int]:
    content = load_wrap_content()
    try:
        question = content.question(item.question_id)
    except KeyError:  # a question a service has since removed from content: keep it, last
        return (len(content.sections), 0, item.number)
    section = content.section(question.section_id)
    return (content.sections.index(section), section.questions.index(question), item.number)


def _touch(plan: WrapPlan) -> None:
    """Mark the plan as changed ("new since last look"); saving does this by numbering items."""
    plan.updated_at = utc_now()


def _live(plan: WrapPlan) -> Select:
    return select(WrapItem).where(WrapItem.plan_id == plan.id, WrapItem.removed_at.is_(None))


def _live_item(session: Session, plan: WrapPlan, item_id: str) -> WrapItem:
    item = session.execute(_live(plan).where(WrapItem.id == item_id)).scalar_one_or_none()
    if item is None:
        raise ValueError("That item is not in this plan, or has already been removed.")
    return item


def _skipped_question_ids(session: Session, plan: WrapPlan) -> set[str]:
    query = select(WrapSkip.question_id).where(WrapSkip.plan_id == plan.id)
    return set(session.execute(query).scalars())
