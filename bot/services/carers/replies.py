"""A coordinator answers a carer's message from the dashboard; Alongside sends it to the carer.

The rules (DESIGN.md safety and privacy rules 3, 5 and 6):

- Only a coordinator who has the person on their caseload now (who may open that person's
  page) may answer a carer's message about them, and only while the link the carer left it
  through still stands. An ended link (the person stopped sharing with that carer, or the carer
  is gone) is refused, and the dashboard says why.
- One reply per message. It is kept on the message, encrypted like the carer's words
  (carer_messages.reply_text), with who sent it and when.
- It reaches the carer the way other messages from the team reach people: by text through the
  outbox when Alongside can text them (bot/services/messaging/reach.py), else kept for their
  next web chat (bot/services/messaging/notices.py). Never sent from here directly.
- It starts with who it is from ("A message from Sam, care coordinator for the person you
  support: ..."; content/dashboard.yml, `carer_reply`) and, with those words, fits two texts.
  An empty or longer reply is refused with the reason; nothing is stored or sent.
- The audit log records the reply: who, about whom, which message and how it went, never its words.

Plain Python, no Rasa, no web: bot/web/app.py calls `reply_to_message` and shows the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy.orm import Session

from bot.common.clock import utc_now
from bot.common.sms_text import MAX_SMS_CHARS, gsm7_length, plain_sms_text, split_between_words, split_for_sms
from bot.services.coordination.dashboard_content import load_dashboard_content
from bot.services.messaging import notices, reach
from bot.services.people import enrolment
from bot.services.privacy import audit
from bot.store.carer_models import CarerLink, CarerMessage
from bot.store.staff_models import StaffAccount

PURPOSE = "carer_reply"
MAX_TEXTS = 2
# Room kept for where a reply is cut into texts (at a sentence or a word, not mid-word).
SPLIT_ROOM = 20


class ReplyOutcome(str, Enum):
    texted = "texted"  # queued in the outbox as text messages to the carer
    kept_for_chat = "kept_for_chat"  # the carer cannot be texted: shown at their next web chat
    empty = "empty"
    too_long = "too_long"
    link_ended = "link_ended"  # the carer is no longer linked with the person
    already_replied = "already_replied"  # the message has a reply; one each
    not_found = "not_found"  # no such message about this person, or not on this caseload

    @property
    def sent(self) -> bool:
        return self in (ReplyOutcome.texted, ReplyOutcome.kept_for_chat)


@dataclass(frozen=True)
class ReplyResult:
    outcome: ReplyOutcome
    max_chars: int  # how long a reply from this coordinator may be


def carer_reply_body(coordinator_name: str, reply: str) -> str:
    """What the carer receives: who it is from, then the coordinator's words."""
    return load_dashboard_content().text("carer_reply", coordinator=coordinator_name, reply=reply)


def max_reply_chars(coordinator_name: str) -> int:
    """How many characters a reply may have: what the words around it leave of two texts."""
    around = gsm7_length(plain_sms_text(carer_reply_body(coordinator_name, "")))
    return MAX_TEXTS * MAX_SMS_CHARS - around - SPLIT_ROOM


def tidy(text: str | None) -> str:
    """The reply as it will be kept and sent: spaces and line breaks made single spaces."""
    return " ".join((text or "").split())


def texts_for(body: str) -> list[str]:
    """The body as plain texts of at most MAX_SMS_CHARS: cut between sentences where that
    makes two texts or fewer, else between words (so a reply within the limit fits two)."""
    parts = split_for_sms(body)
    return parts if len(parts) <= MAX_TEXTS else split_between_words(body)


def _message_about(session: Session, person_id: str, message_id: str) -> CarerMessage | None:
    message = session.get(CarerMessage, message_id, with_for_update=True)
    if message is None or message.about_person_id != person_id:
        return None
    return message


def _link_stands(session: Session, message: CarerMessage) -> bool:
    link = session.get(CarerLink, message.link_id) if message.link_id else None
    return (
        link is not None
        and link.ended_at is None
        and link.person_id == message.about_person_id
        and link.carer_person_id == message.carer_person_id
    )


def reply_to_message(
    session: Session,
    coordinator_id: str,
    person_id: str,
    message_id: str,
    text: str | None,
    now: datetime | None = None,
) -> ReplyResult:
    """Answer one carer's message about `person_id`, as this coordinator. Sends nothing and
    stores nothing unless `outcome.sent` (texted, or kept for their next web chat)."""
    now = now or utc_now()
    coordinator = session.get(StaffAccount, coordinator_id)
    name = coordinator.display_name if coordinator is not None else ""
    limit = max_reply_chars(name)
    if coordinator is None or enrolment.active_entry(session, coordinator_id, person_id) is None:
        return ReplyResult(ReplyOutcome.not_found, limit)
    message = _message_about(session, person_id, message_id)
    if message is None:
        return ReplyResult(ReplyOutcome.not_found, limit)
    reply = tidy(text)
    if message.replied_at is not None:
        if message.replied_by == coordinator_id and message.reply_text == reply:
            # The same reply sent again (a double click, a reload): it has gone once already.
            went_by_text = message.reply_channel == "sms"
            return ReplyResult(ReplyOutcome.texted if went_by_text else ReplyOutcome.kept_for_chat, limit)
        return ReplyResult(ReplyOutcome.already_replied, limit)
    if not _link_stands(session, message):
        return ReplyResult(ReplyOutcome.link_ended, limit)
    if not reply:
        return ReplyResult(ReplyOutcome.empty, limit)
    body = carer_reply_body(name, reply)
    parts = texts_for(body)
    if gsm7_length(plain_sms_text(reply)) > limit or len(parts) > MAX_TEXTS:
        return ReplyResult(ReplyOutcome.too_long, limit)
    texted = bool(reach.reachable_sms_contact(session, message.carer_person_id))
    if texted:
        for index, part in enumerate(parts):
            reach.tell_person(
                session,
                message.carer_person_id,
                part,
                idempotency_key=f"carer-reply:{message.id}:{index}",
                purpose=PURPOSE,
            )
    else:
        notices.leave_notice(session, message.carer_person_id, PURPOSE, body, now=now)
    message.reply_text = reply
    message.replied_by = coordinator_id
    message.replied_at = now
    message.reply_channel = "sms" if texted else "chat"
    session.flush()
    audit.record(
        session,
        coordinator_id,
        "carer_message_replied",
        person_id,
        f"message:{message.id} told:{'sms' if texted else 'next-chat'}",
        now=now,
    )
    return ReplyResult(ReplyOutcome.texted if texted else ReplyOutcome.kept_for_chat, limit)
