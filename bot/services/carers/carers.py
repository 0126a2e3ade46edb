"""Carers: what they can be told, linking by a one-time code, what a person shares with them,
their messages for the care team, and support for carers. Plain Python, no Rasa.

The rules that matter (DESIGN.md safety and privacy rules 2, 3 and 5):

- A carer sees a person's information only through the consent ledger: the categories
  `consent.active_categories(session, person_id, carer_person_id)` returns, asked on every
  request (`shared_with_carer`). Linking alone shares nothing. A withdrawal, a change of parts
  or removing the link takes effect on the next request.
- A link is made by the person: `make_code` gives a code (8 digits, like 4829-7316) that works
  once, for CODE_HOURS, stored only as a keyed hash. The carer sends it (`redeem`). Wrong,
  run-out and used codes count as wrong tries: CARER_CODE_TRIES_PER_HOUR per sender (channel
  identity), plus the per-source and overall limits of bot/services/people/code_tries.py; past
  any, nothing is checked for a while.
- Parts the person chooses before the carer has linked wait on the link and are recorded as
  consent (recipient = the carer, recipient_kind = carer) when the carer links.
- A carer's message for the team (`leave_message`) needs no consent: listening is always
  allowed. It is stored encrypted, shown to the person's coordinator on the dashboard, and one
  content-free notification is queued. The carer's words are never shown to the person.
  The coordinator may send one reply from the dashboard (bot/services/carers/replies.py).
- Every view of a person's information by a carer, and every coordinator's view of carers'
  messages, is written to the audit log, with ids and category names only.

Wording is in content/carers.yml (`carers_content()` loads and checks it).
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.common.clock import as_utc, utc_now
from bot.common.content_files import read_content
from bot.common.fill import fill
from bot.common.sms_text import MAX_SMS_CHARS, gsm7_length, gsm7_problem
from bot.security.pseudonyms import keyed_hash
from bot.services.consent import ledger as consent
from bot.services.consent import sharing
from bot.services.consent.content import load_consent_content
from bot.services.coordination import staff_notifications
from bot.services.guided.list_answers import join_for_reading
from bot.services.people import code_tries
from bot.services.privacy import audit
from bot.services.staff import accounts
from bot.services.wrap.content import SECTION_IDS, match_words
from bot.settings import PROJECT_ROOT
from bot.store.carer_models import CarerLink, CarerMessage
from bot.store.consent_models import RecipientKind
from bot.store.models import CaseloadEntry, ChannelIdentity, Person, Role, WrapItem

CARERS_PATH = PROJECT_ROOT / "content" / "carers.yml"
MAX_CHARS = MAX_SMS_CHARS

CODE_HOURS = 24
CODE_PURPOSE = "carer-link-code"
NOTIFICATION_PURPOSE = "carer-message-notification"
# A carer code: 8 digits, printed as 4829-7316; people may copy it with a space, a dash or nothing.
_CODE = re.compile(r"(?<![0-9])([0-9]{4})[ -]?([0-9]{4})(?![0-9])")
MAX_WORDS_AROUND_A_CODE = 10
# What a carer may be shown: the parts of the WRAP (the same category ids as the consent ledger).
CARER_CATEGORIES: tuple[str, ...] = tuple(SECTION_IDS)


# == content ===================================================================================


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    keywords: tuple[tuple[str, ...], ...]
    text: str
    source: str


@dataclass(frozen=True)
class WorryHeard:
    """A worry a carer may start with ("my daughter won't talk to me") and what is said back."""

    words: tuple[tuple[str, ...], ...]
    heard: str


@dataclass(frozen=True)
class CarersContent:
    told: tuple[str, ...]
    texts: dict[str, str]
    relation_words: tuple[str, ...]
    nothing_words: tuple[tuple[str, ...], ...]
    message_request_words: frozenset[str]
    support_intro: str
    support_hint: str
    topics: tuple[Topic, ...]
    notification_subject: str
    notification_body: str
    urgent_subject: str
    urgent_body: str
    worries_heard: tuple[WorryHeard, ...] = ()

    def text(self, text_id: str, **values: Any) -> str:
        return fill(self.texts[text_id], **values)

    def topic(self, topic_id: str) -> Topic:
        return next(topic for topic in self.topics if topic.id == topic_id)


_SAMPLES = {
    "name": "your grandmother",
    "my_name": "my grandmother",
    "code": "4829-7316",
    "hours": "48",
    "categories": "plan for when things are breaking down, plan for after a crisis and early warning signs",
    "who": "Person 3 who linked with you",
    "coordinator": "Alexandra-Jane",
    "names": "mum, dad, partner and friend",
    "page": "10",
    "pages": "10",
    "number": "3",
    "relation": "grandmother",
}


def _plain(entry: str, value: Any, sample: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise ValueError(f"{CARERS_PATH}: {entry}: is missing")
    problem = gsm7_problem(text)
    if problem:
        raise ValueError(f"{CARERS_PATH}: {entry}: {problem}")
    try:
        filled = text.format(**_SAMPLES) if sample else text
    except (KeyError, IndexError, ValueError) as error:
        raise ValueError(f"{CARERS_PATH}: {entry}: unknown or broken placeholder ({error})") from None
    if gsm7_length(filled) > MAX_CHARS:
        raise ValueError(f"{CARERS_PATH}: {entry}: longer than one SMS ({MAX_CHARS}) when filled in")
    return text


REQUIRED_TEXTS = (
    "told_not_linked",
    "told_shares",
    "told_shares_nothing",
    "told_leave_message",
    "show_heading",
    "show_nothing",
    "show_not_linked",
    "show_more",
    "show_no_more",
    "person_one",
    "person_many",
    "code_made",
    "access_ask",
    "access_nothing",
    "access_set",
    "access_set_waiting",
    "access_unclear",
    "access_gave_up",
    "access_paused",
    "list_none",
    "list_sees",
    "list_sees_nothing",
    "list_waiting",
    "list_how",
    "which_one",
    "removed",
    "link_done",
    "link_no_code",
    "link_wrong",
    "link_expired",
    "link_used",
    "link_too_many",
    "link_own",
    "link_already",
    "message_ask",
    "message_sent",
    "message_sent_no_coordinator",
    "message_not_linked",
    "message_several",
    "message_not_watched",
    "message_cancelled",
    "urgent_offer",
    "urgent_button",
    "urgent_marked",
    "urgent_marked_no_coordinator",
    "urgent_already",
    "urgent_nothing_recent",
    "show_button",
    "name_yours",
    "name_mine",
    "name_unknown",
    "my_name_unknown",
    "someone",
)


@lru_cache(maxsize=1)
def carers_content() -> CarersContent:
    """content/carers.yml, checked. ValueError names the file, the entry and the problem."""
    data = read_content(CARERS_PATH) or {}
    if not str(data.get("source", "")).strip():
        raise ValueError(f"{CARERS_PATH}: source: is missing")
    told = tuple(
        _plain(f"what_can_i_be_told[{i}]", m, sample=False) for i, m in enumerate(data.get("what_can_i_be_told") or [])
    )
    if not told:
        raise ValueError(f"{CARERS_PATH}: what_can_i_be_told: needs at least one message")
    raw_texts = data.get("texts") or {}
    texts = {text_id: _plain(f"texts.{text_id}", raw_texts.get(text_id)) for text_id in REQUIRED_TEXTS}
    unknown = sorted(set(raw_texts) - set(REQUIRED_TEXTS))
    if unknown:
        raise ValueError(f"{CARERS_PATH}: texts.{unknown[0]}: is not used by Alongside (a typo?)")
    if any(mark in texts["access_ask"] for mark in ("{", "}")):
        raise ValueError(f"{CARERS_PATH}: texts.access_ask: is stored with each choice, so it takes no placeholders")
    support = data.get("support") or {}
    topics = []
    for index, raw in enumerate(support.get("topics") or []):
        entry = f"support.topics[{index}]"
        topic_id = str(raw.get("id") or "").strip()
        if not topic_id:
            raise ValueError(f"{CARERS_PATH}: {entry}: needs an id")
        if not str(raw.get("source") or "").strip():
            raise ValueError(f"{CARERS_PATH}: {entry}: needs a source")
        topics.append(
            Topic(
                topic_id,
                _plain(f"{entry}.title", raw.get("title")),
                tuple(match_words(str(k)) for k in raw.get("keywords") or [] if match_words(str(k))),
                _plain(f"{entry}.text", raw.get("text")),
                str(raw.get("source") or "").strip(),
            )
        )
    if not topics:
        raise ValueError(f"{CARERS_PATH}: support.topics: needs at least one topic")
    notification = data.get("notification") or {}
    relations = tuple(" ".join(match_words(str(w))) for w in data.get("relation_words") or [])
    if not relations:
        raise ValueError(f"{CARERS_PATH}: relation_words: needs at least one word")
    request_words = {w for phrase in data.get("message_request_words") or [] for w in match_words(str(phrase))}
    worries = []
    for index, raw in enumerate(data.get("worries_heard") or []):
        entry = f"worries_heard[{index}]"
        words = tuple(match_words(str(w)) for w in (raw or {}).get("words") or [] if match_words(str(w)))
        if not words:
            raise ValueError(f"{CARERS_PATH}: {entry}.words: needs at least one word")
        worries.append(WorryHeard(words, _plain(f"{entry}.heard", raw.get("heard"), sample=False)))
    return CarersContent(
        told=told,
        texts=texts,
        relation_words=relations,
        nothing_words=tuple(match_words(str(w)) for w in data.get("nothing_words") or []),
        message_request_words=frozenset(request_words | set(relations)),
        support_intro=_plain("support.intro", support.get("intro")),
        support_hint=_plain("support.choices_sms_hint", support.get("choices_sms_hint")),
        topics=tuple(topics),
        notification_subject=_plain("notification.subject", notification.get("subject")),
        notification_body=_plain("notification.body", notification.get("body")),
        urgent_subject=_plain("notification.urgent_subject", notification.get("urgent_subject")),
        urgent_body=_plain("notification.urgent_body", notification.get("urgent_body")),
        worries_heard=tuple(worries),
    )


def what_a_carer_can_be_told() -> tuple[str, ...]:
    """The general answer, the same for every carer: one SMS-sized message at a time."""
    return carers_content().told


def worry_heard(text: str) -> str | None:
    """The kind sentence that says back a worry a carer starts with, or None if there is none."""
    words = match_words(text or "")
    for worry in carers_content().worries_heard:
        if any(_contains(words, phrase) for phrase in worry.words):
            return worry.heard
    return None


def support_topic_in(text: str) -> Topic | None:
    """The support topic a message names ("carer's assessment"), by its keywords, or None."""
    words = match_words(text or "")
    best: tuple[int, Topic] | None = None
    for topic in carers_content().topics:
        for keyword in topic.keywords:
            if _contains(words, keyword) and (best is None or len(keyword) > best[0]):
                best = (len(keyword), topic)
    return best[1] if best else None


def _contains(words: Sequence[str], phrase: Sequence[str]) -> bool:
    return any(tuple(words[i : i + len(phrase)]) == tuple(phrase) for i in range(len(words) - len(phrase) + 1))


# == names the person gives ======================================================================


def relation_in(text: str) -> str | None:
    """The word for who the person means ("mum" in "share with my mum"), or None."""
    words = match_words(text or "")
    for relation in carers_content().relation_words:
        if _contains(words, relation.split()):
            return relation
    return None


def name_phrases(relation: str | None) -> dict[str, str]:
    """{name} and {my_name} for the texts: "your mum" / "my mum", or general words."""
    content = carers_content()
    if relation:
        return {
            "name": content.text("name_yours", relation=relation),
            "my_name": content.text("name_mine", relation=relation),
        }
    return {"name": content.text("name_unknown"), "my_name": content.text("my_name_unknown")}


# == codes =======================================================================================


class LinkResult(str, Enum):
    linked = "linked"
    already = "already"  # this carer is already linked with this person
    own = "own"  # the person who made it sent it
    no_code = "no_code"
    wrong = "wrong"
    expired = "expired"
    used = "used"
    too_many_tries = "too_many_tries"


@dataclass(frozen=True)
class MadeCode:
    link_id: str
    code: str  # as printed: 4829-7316
    hours: int


@dataclass(frozen=True)
class Redeemed:
    result: LinkResult
    link_id: str | None = None


def find_code(text: str) -> str | None:
    """The first carer code in the text, as 8 digits, or None."""
    found = _CODE.search(text or "")
    return found.group(1) + found.group(2) if found else None


def is_code_message(text: str) -> bool:
    """Whether a message is someone sending a carer code: a code, and either the word "code"
    or only a few words around it (so a long message with a number in it is not one)."""
    if find_code(text) is None:
        return False
    words = match_words(_CODE.sub(" ", text or ""))
    return "code" in words or len(words) <= MAX_WORDS_AROUND_A_CODE


def printed(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _code_hash(code: str) -> str:
    return keyed_hash(code, CODE_PURPOSE)


def make_code(session: Session, person_id: str, relation: str | None, now: datetime | None = None) -> MadeCode:
    """A new link (not yet used) and its code, for the person to pass on. Shares nothing."""
    now = now or utc_now()
    while True:
        code = "".join(secrets.choice(string.digits) for _ in range(8))
        if session.execute(select(CarerLink.id).where(CarerLink.code_hash == _code_hash(code))).first() is None:
            break
    link = CarerLink(
        person_id=person_id,
        name=relation,
        code_hash=_code_hash(code),
        pending_categories="",
        code_expires_at=now + timedelta(hours=CODE_HOURS),
        created_at=now,
    )
    session.add(link)
    session.flush()
    audit.record(session, person_id, "carer_code_issued", person_id, f"link:{link.id}", actor_kind="person", now=now)
    return MadeCode(link.id, printed(code), CODE_HOURS)


def redeem(
    session: Session, identity: ChannelIdentity, text: str, now: datetime | None = None, source: str | None = None
) -> Redeemed:
    """The carer behind `identity` sends a code: link them, if it is a good code. `source` is
    the web chat client's code_tries.source_key, so many chats from one place count together."""
    now = now or utc_now()
    trier = code_tries.Trier(identity.id, source)
    if code_tries.refusal(session, code_tries.CodeKind.carer, trier, now) is not None:
        return Redeemed(LinkResult.too_many_tries)

    def wrong_try() -> None:
        code_tries.record_wrong_try(session, code_tries.CodeKind.carer, trier, now, identity.person_id)

    code = find_code(text)
    if code is None:
        return Redeemed(LinkResult.no_code)
    link = session.execute(
        select(CarerLink).where(CarerLink.code_hash == _code_hash(code)).with_for_update()
    ).scalar_one_or_none()
    carer_id = identity.person_id
    if link is None or link.ended_at is not None:
        wrong_try()
        return Redeemed(LinkResult.wrong)
    if link.person_id == carer_id:
        return Redeemed(LinkResult.own)
    if link.carer_person_id == carer_id:  # the same carer sending their code again
        return Redeemed(LinkResult.already, link.id)
    if link.code_used_at is not None:
        wrong_try()
        return Redeemed(LinkResult.used)
    if as_utc(link.code_expires_at) <= now:
        wrong_try()
        return Redeemed(LinkResult.expired)
    existing = _live_link(session, link.person_id, carer_id)
    claimed = session.execute(
        update(CarerLink).where(CarerLink.id == link.id, CarerLink.code_used_at.is_(None)).values(code_used_at=now)
    ).rowcount
    if claimed != 1:  # someone else used it a moment ago
        wrong_try()
        return Redeemed(LinkResult.used)
    if existing is not None:  # a second code for the same carer: the first link stands...
        link.ended_at = now
        session.flush()
        if link.pending_wording is not None:  # ...with the parts chosen for the newer code
            set_access(
                session,
                link.person_id,
                existing.id,
                _split(link.pending_categories),
                channel=link.pending_channel or "unknown",
                now=now,
            )
        return Redeemed(LinkResult.already, existing.id)
    session.refresh(link)
    link.carer_person_id = carer_id
    link.linked_at = now
    carer = session.get(Person, carer_id)
    if carer is not None and carer.role is Role.unknown:
        carer.role = Role.carer
    pending = _split(link.pending_categories)
    if pending:
        consent.grant(
            session,
            link.person_id,
            carer_id,
            pending,
            wording=link.pending_wording or carers_content().texts["access_ask"],
            channel=link.pending_channel or "unknown",
            recipient_kind=RecipientKind.carer,
            now=now,
        )
    link.pending_categories = ""
    session.flush()
    audit.record(session, carer_id, "carer_linked", link.person_id, f"link:{link.id}", actor_kind="person", now=now)
    return Redeemed(LinkResult.linked, link.id)


# == the person's links and what each carer may see =============================================


@dataclass(frozen=True)
class LinkView:
    """One of the person's links, for "who have I shared with?"."""

    link_id: str
    relation: str | None
    linked: bool
    categories: tuple[str, ...]  # what the carer can see now (or will, once linked)


def _live_link(session: Session, person_id: str, carer_id: str) -> CarerLink | None:
    return (
        session.execute(
            select(CarerLink).where(
                CarerLink.person_id == person_id, CarerLink.carer_person_id == carer_id, CarerLink.ended_at.is_(None)
            )
        )
        .scalars()
        .first()
    )


def _usable(link: CarerLink, now: datetime) -> bool:
    """Linked, or a code that can still be used."""
    if link.ended_at is not None:
        return False
    if link.carer_person_id is not None:
        return True
    return link.code_used_at is None and link.code_expires_at is not None and as_utc(link.code_expires_at) > now


def links_of(session: Session, person_id: str, now: datetime | None = None) -> list[LinkView]:
    """The person's carers (linked, or with a code not yet used), oldest first."""
    now = now or utc_now()
    links = session.execute(
        select(CarerLink).where(CarerLink.person_id == person_id).order_by(CarerLink.created_at)
    ).scalars()
    views = []
    for link in links:
        if not _usable(link, now):
            continue
        if link.carer_person_id is not None:
            categories = consent.active_categories(session, person_id, link.carer_person_id, now)
        else:
            categories = set(_split(link.pending_categories))
        views.append(LinkView(link.id, link.name, link.carer_person_id is not None, _in_order(categories)))
    return views


def link_for(session: Session, person_id: str, link_id: str | None) -> CarerLink | None:
    """One of the person's own links, by id (None if it is not theirs or has ended)."""
    if not link_id:
        return None
    link = session.get(CarerLink, link_id)
    if link is None or link.person_id != person_id or link.ended_at is not None:
        return None
    return link


def choose_link(views: Sequence[LinkView], text: str) -> LinkView | None:
    """Which of the person's carers a message means: the one named, or the only one. A carer
    who has linked comes before a code not yet used for the same name (the one who can see
    something now); two linked carers with the same name are not guessed between (None)."""
    relation = relation_in(text)
    named = [view for view in views if relation and view.relation == relation]
    linked = [view for view in named if view.linked]
    if len(linked) == 1:
        return linked[0]
    if len(linked) > 1:
        return None
    if named:
        return named[-1]
    if len(views) == 1 and (relation is None or views[0].relation is None):
        return views[0]
    return None


def remove_chosen(
    session: Session,
    person_id: str,
    views: Sequence[LinkView],
    chosen: LinkView,
    *,
    channel: str,
    now: datetime | None = None,
) -> None:
    """End the chosen link and any code not yet used for the same name: "stop sharing with my
    mum" means every way mum could come to see it."""
    for view in views:
        same_name_code = not view.linked and chosen.relation is not None and view.relation == chosen.relation
        if view.link_id == chosen.link_id or same_name_code:
            remove_link(session, person_id, view.link_id, channel=channel, now=now)


def set_access(
    session: Session,
    person_id: str,
    link_id: str,
    categories: Iterable[str],
    *,
    channel: str,
    now: datetime | None = None,
) -> tuple[str, ...]:
    """What this carer may see from now on: exactly these parts (none for an empty list).

    Before the carer has linked, the choice waits on the link; after, it goes into the consent
    ledger at once (grants for parts added, withdrawals for parts taken away)."""
    now = now or utc_now()
    link = link_for(session, person_id, link_id)
    if link is None:
        raise LookupError("No such link for this person.")
    wanted = _in_order(set(categories) & set(CARER_CATEGORIES))
    wording = carers_content().texts["access_ask"]
    if link.carer_person_id is None:
        link.pending_categories = ",".join(wanted)
        link.pending_wording = wording
        link.pending_channel = channel
        session.flush()
        return wanted
    current = consent.active_categories(session, person_id, link.carer_person_id, now)
    added = [c for c in wanted if c not in current]
    removed = [c for c in CARER_CATEGORIES if c in current and c not in wanted]
    how = {"wording": wording, "channel": channel, "recipient_kind": RecipientKind.carer, "now": now}
    if added:
        consent.grant(session, person_id, link.carer_person_id, added, **how)
    if removed:
        consent.withdraw(session, person_id, link.carer_person_id, removed, **how)
    return wanted


def remove_link(session: Session, person_id: str, link_id: str, *, channel: str, now: datetime | None = None) -> bool:
    """End a link: everything shared with that carer is withdrawn at once."""
    now = now or utc_now()
    link = link_for(session, person_id, link_id)
    if link is None:
        return False
    if link.carer_person_id is not None:
        granted = consent.active_categories(session, person_id, link.carer_person_id, now) | consent.needs_review(
            session, person_id, link.carer_person_id, now
        )
        if granted:
            consent.withdraw(
                session,
                person_id,
                link.carer_person_id,
                _in_order(granted),
                wording=carers_content().text("removed", **name_phrases(link.name)),
                channel=channel,
                recipient_kind=RecipientKind.carer,
                now=now,
            )
    link.ended_at = now
    link.pending_categories = ""
    session.flush()
    audit.record(session, person_id, "carer_unlinked", person_id, f"link:{link.id}", actor_kind="person", now=now)
    return True


class AccessReply(str, Enum):
    parts = "parts"  # exactly AccessAnswer.categories
    nothing = "nothing"
    stop = "stop"  # leave the question; nothing changes
    unclear = "unclear"


@dataclass(frozen=True)
class AccessAnswer:
    reply: AccessReply
    categories: tuple[str, ...] = ()


def read_access_answer(text: str) -> AccessAnswer:
    """The answer to "which parts of your plan may they see?", read strictly from words (never
    from the intent classifier): named parts, "everything", or nothing. A bare "yes" does not
    name parts, so it is asked again."""
    from bot.services.consent.answers import Reply, categories_named, read_answer

    words = match_words(text or "")
    named = categories_named(text)
    if not named.any and any(words[: len(p)] == p for p in carers_content().nothing_words):
        return AccessAnswer(AccessReply.nothing)
    answer = read_answer(text, CARER_CATEGORIES)
    if answer.reply in (Reply.stop, Reply.not_now):
        return AccessAnswer(AccessReply.stop)
    if answer.reply is Reply.no:
        return AccessAnswer(AccessReply.nothing)
    if answer.reply in (Reply.yes, Reply.some) and named.any and answer.categories:
        return AccessAnswer(AccessReply.parts, _in_order(answer.categories))
    return AccessAnswer(AccessReply.unclear)


# == what a carer sees ===========================================================================


@dataclass(frozen=True)
class SharedWithCarer:
    link_id: str
    person_id: str
    categories: tuple[str, ...]
    items: tuple[WrapItem, ...]


def people_linked_to(session: Session, carer_id: str) -> list[CarerLink]:
    """The live links where this person is the carer, oldest first."""
    return list(
        session.execute(
            select(CarerLink)
            .where(CarerLink.carer_person_id == carer_id, CarerLink.ended_at.is_(None))
            .order_by(CarerLink.linked_at)
        ).scalars()
    )


def what_is_shared(session: Session, carer_id: str, now: datetime | None = None) -> list[SharedWithCarer]:
    """For each person linked with this carer: the parts their active consents share with the
    carer now, and nothing else. Names of parts only: not audited (no content is read)."""
    now = now or utc_now()
    return [
        SharedWithCarer(
            link.id, link.person_id, _in_order(consent.active_categories(session, link.person_id, carer_id, now)), ()
        )
        for link in people_linked_to(session, carer_id)
    ]


def shared_with_carer(session: Session, carer_id: str, now: datetime | None = None) -> list[SharedWithCarer]:
    """What each linked person shares with this carer now, as their saved items. Consent is
    read on this request; the view is written to the audit log (ids and category names)."""
    now = now or utc_now()
    found = []
    for link in people_linked_to(session, carer_id):
        visible = sharing.visible_plan(session, link.person_id, carer_id, now)
        categories = _in_order(visible.categories)
        items = tuple(item for item in visible.items if item.section_id in categories)
        audit.record(
            session,
            carer_id,
            "carer_viewed_shared",
            link.person_id,
            f"link:{link.id} " + ",".join(categories),
            actor_kind="person",
            now=now,
        )
        found.append(SharedWithCarer(link.id, link.person_id, categories, items))
    return found


def category_names(categories: Iterable[str]) -> str:
    return load_consent_content().names(categories)


# == carers' messages ============================================================================


class MessageOutcome(str, Enum):
    sent = "sent"  # stored for the person's coordinator, who is notified
    no_coordinator = "no_coordinator"  # stored, but the person has no coordinator here
    not_linked = "not_linked"  # nothing stored: the carer is told how to reach the team
    several = "several"  # linked with more than one person: whose team is not known, nothing stored


@dataclass(frozen=True)
class MessageResult:
    outcome: MessageOutcome
    coordinator_name: str | None = None
    message_ids: tuple[str, ...] = ()


def is_only_a_request(text: str) -> bool:
    """ "I want to leave a message for the team": asks to leave one, says nothing yet."""
    words = match_words(text or "")
    allowed = carers_content().message_request_words
    return all(word in allowed for word in words)


def leave_message(
    session: Session, carer_id: str, text: str, *, channel: str, now: datetime | None = None
) -> MessageResult:
    """Pass a carer's words to the coordinator of each person they are linked with.

    No consent is needed (listening is always allowed). The words are stored encrypted; the
    notification says only that there is something to read."""
    now = now or utc_now()
    text = (text or "").strip()
    if not text:
        raise ValueError("An empty message cannot be left.")
    links = people_linked_to(session, carer_id)
    if not links:
        return MessageResult(MessageOutcome.not_linked)
    if len({link.person_id for link in links}) > 1:
        # A worry about one person must not reach another person's coordinator.
        return MessageResult(MessageOutcome.several)
    names, ids = [], []
    for link in links:
        coordinator = consent.coordinator_for(session, link.person_id, now)
        message = CarerMessage(
            carer_person_id=carer_id,
            about_person_id=link.person_id,
            link_id=link.id,
            text=text,
            channel=channel,
            coordinator_id=coordinator.person_id if coordinator else None,
            created_at=now,
        )
        session.add(message)
        session.flush()
        ids.append(message.id)
        audit.record(
            session,
            carer_id,
            "carer_message_left",
            link.person_id,
            f"message:{message.id}",
            actor_kind="person",
            now=now,
        )
        if coordinator is not None:
            names.append(coordinator.display_name)
            notify_coordinator(session, coordinator.person_id, message)
    if not names:
        return MessageResult(MessageOutcome.no_coordinator, None, tuple(ids))
    return MessageResult(MessageOutcome.sent, join_for_reading(dict.fromkeys(names)), tuple(ids))


def notify_coordinator(session: Session, coordinator_id: str, message: CarerMessage, *, urgent: bool = False) -> None:
    """Tell the coordinator there is something to read (an urgent mark gets its own notice)."""
    content = carers_content()
    staff_notifications.notify_coordinator(
        session,
        coordinator_id,
        message.about_person_id,
        body=content.urgent_body if urgent else content.notification_body,
        subject=content.urgent_subject if urgent else content.notification_subject,
        idempotency_key=f"carer-message{'-urgent' if urgent else ''}:{message.id}",
        purpose=NOTIFICATION_PURPOSE,
    )


@dataclass(frozen=True)
class MessageSender:
    """Which of the person's linked carers left a message, from the link it came through: the
    word the person used for them when they made the code ("brother"; None if they gave none),
    when the carer linked, and when the link ended (None while it stands)."""

    relation: str | None
    linked_at: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True)
class ShownReply:
    """A coordinator's reply to a carer's message, as the dashboard shows it under the message."""

    text: str
    sent_at: datetime
    by: str  # the name the coordinator goes by ("Sam"), or "" if their account has gone
    yours: bool  # sent by the coordinator looking at the page
    texted: bool  # False: kept for the carer's next web chat


@dataclass(frozen=True)
class ShownMessage:
    id: str
    text: str
    created_at: datetime
    new: bool
    sender: MessageSender | None = None  # None when the link is gone (the dashboard says so)
    reply: ShownReply | None = None
    # Whether the coordinator can answer it from the dashboard: no reply yet and the carer's
    # link still stands (bot/services/carers/replies.py sends it).
    can_reply: bool = False
    urgent: bool = False  # the carer said it cannot wait (bot/services/carers/urgent.py)


def _sender(link: CarerLink | None) -> MessageSender | None:
    if link is None:
        return None
    linked_at = link.linked_at or link.code_used_at
    return MessageSender(
        relation=link.name or None,
        linked_at=as_utc(linked_at) if linked_at else None,
        ended_at=as_utc(link.ended_at) if link.ended_at else None,
    )


def _reply(message: CarerMessage, coordinator_id: str, names: dict[str, str]) -> ShownReply | None:
    if message.replied_at is None or message.reply_text is None:
        return None
    return ShownReply(
        text=message.reply_text,
        sent_at=as_utc(message.replied_at),
        by=names.get(message.replied_by or "", ""),
        yours=message.replied_by == coordinator_id,
        texted=message.reply_channel == "sms",
    )


def messages_for_coordinator(
    session: Session, coordinator_id: str, person_id: str, now: datetime | None = None
) -> list[ShownMessage]:
    """Carers' messages about a person, for a coordinator whose caseload they are on now (the
    caller checks the caseload): all of them, also those left before this coordinator took
    over, newest first (unread ones the carer marked urgent before all), each with who left it
    (`sender`). Marks them read; audited."""
    now = now or utc_now()
    messages = list(
        session.execute(
            select(CarerMessage)
            .where(CarerMessage.about_person_id == person_id)
            .order_by(CarerMessage.created_at.desc())
        ).scalars()
    )
    link_ids = {m.link_id for m in messages if m.link_id}
    links = {
        link.id: link
        for link in session.execute(
            select(CarerLink).where(CarerLink.id.in_(link_ids), CarerLink.person_id == person_id)
        ).scalars()
    }
    names = accounts.display_names(session, {m.replied_by for m in messages if m.replied_by})
    shown = []
    for m in messages:
        sender = _sender(links.get(m.link_id or ""))
        reply = _reply(m, coordinator_id, names)
        shown.append(
            ShownMessage(
                m.id,
                m.text,
                as_utc(m.created_at),
                m.read_at is None,
                sender,
                reply,
                can_reply=reply is None and sender is not None and sender.ended_at is None,
                urgent=m.urgent_at is not None,
            )
        )
    shown.sort(key=lambda message: not (message.urgent and message.new))  # stable: newest first within each
    for message in messages:
        if message.read_at is None:
            message.read_at = now
    session.flush()
    if messages:
        audit.record(session, coordinator_id, "carer_messages_viewed", person_id, f"{len(messages)} messages", now=now)
    return shown


def keep_messages_of_erased(session: Session, person_id: str, labels: dict[str, str], fallback_label: str) -> int:
    """The person is deleting their data: carers' messages about them stay for the team (they are
    the carer's and the team's record), cut loose from the person so nothing of theirs goes with
    them, and named by what the coordinator called them (`labels`: coordinator id -> caseload
    name). A message left under an earlier coordinator goes to the current one. Returns how many."""
    messages = list(session.execute(select(CarerMessage).where(CarerMessage.about_person_id == person_id)).scalars())
    current = next(iter(labels), None)
    for message in messages:
        if message.coordinator_id not in labels and current is not None:
            message.coordinator_id = current
        message.about_label = labels.get(message.coordinator_id or "", fallback_label)
        message.about_person_id = None
        message.link_id = None
    session.flush()
    return len(messages)


@dataclass(frozen=True)
class KeptMessage:
    about: str  # the caseload name of the person, who has since deleted their data
    message: ShownMessage


def messages_about_erased(session: Session, coordinator_id: str, now: datetime | None = None) -> list[KeptMessage]:
    """Carers' messages for this coordinator about people who have deleted their data, newest
    first. Marks them read; audited (the person is gone, so no subject)."""
    now = now or utc_now()
    messages = list(
        session.execute(
            select(CarerMessage)
            .where(CarerMessage.coordinator_id == coordinator_id, CarerMessage.about_person_id.is_(None))
            .order_by(CarerMessage.created_at.desc())
        ).scalars()
    )
    names = accounts.display_names(session, {m.replied_by for m in messages if m.replied_by})
    kept = [
        KeptMessage(
            m.about_label or "",
            ShownMessage(m.id, m.text, as_utc(m.created_at), m.read_at is None, reply=_reply(m, coordinator_id, names)),
        )
        for m in messages
    ]
    for message in messages:
        if message.read_at is None:
            message.read_at = now
    session.flush()
    if messages:
        audit.record(
            session,
            coordinator_id,
            "carer_messages_viewed",
            None,
            f"{len(messages)} messages about erased people",
            now=now,
        )
    return kept


def unread_counts(session: Session, coordinator_id: str) -> dict[str, int]:
    """Unread carers' messages per person on the coordinator's caseload now, for the caseload
    page (no content read). By the person, not by who was coordinator when the message was
    left: a worry left before this coordinator took over still shows as new."""
    query = select(CarerMessage.about_person_id, func.count()).group_by(CarerMessage.about_person_id)
    rows = session.execute(_unread_on_caseload(query, coordinator_id)).all()
    return {person_id: count for person_id, count in rows if person_id}


def people_with_urgent_unread(session: Session, coordinator_id: str) -> set[str]:
    """People on the coordinator's caseload now with an unread carer's message marked urgent."""
    query = select(CarerMessage.about_person_id).where(CarerMessage.urgent_at.is_not(None))
    return {
        person_id for person_id in session.execute(_unread_on_caseload(query, coordinator_id)).scalars() if person_id
    }


def _unread_on_caseload(query: Select, coordinator_id: str) -> Select:
    """`query` narrowed to unread messages about people on the coordinator's caseload now."""
    return query.join(CaseloadEntry, CaseloadEntry.service_user_id == CarerMessage.about_person_id).where(
        CaseloadEntry.coordinator_id == coordinator_id,
        CaseloadEntry.ended_at.is_(None),
        CarerMessage.read_at.is_(None),
    )


# == helpers =====================================================================================


def _split(value: str | None) -> list[str]:
    return [c for c in (value or "").split(",") if c]


def _in_order(categories: Iterable[str]) -> tuple[str, ...]:
    wanted = set(categories)
    return tuple(c for c in CARER_CATEGORIES if c in wanted)
