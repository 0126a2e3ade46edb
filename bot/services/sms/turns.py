"""The SMS rules for one inbound text, once it has been read: opt out, opt back in, HELP, or
the bot's replies, queued in the outbox to be sent by the worker.

The order of the rules is the point:
1. a crisis message is answered, whatever keyword it is and even after STOP (the person has
   just written to us in crisis; Twilio may still refuse to deliver to an opted-out number,
   and that refusal is recorded). The reply is queued as a crisis reply: STOP never cancels
   it and the webhook sends it at once (bot/channels/sms.py). If the dialogue failed, the
   crisis contacts are sent from content/crisis.yml instead;
2. STOP (and STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) records the opt-out, cancels everything
   still queued to the person except crisis replies, and sends nothing (Twilio sends its own
   confirmation, which docs/deployment.md asks the service to word from content/sms.yml);
3. after STOP, HELP and a request for the crisis contacts are still answered (Twilio may refuse
   them; the request is audited, without its text), and START (or YES, UNSTOP) is answered from
   content; everything else gets nothing until START;
4. a number over its rate limit (bot/services/messaging/rate_limits.py) gets one "please slow down"
   from content/sms.yml and then nothing until the window passes; its texts are not taken in;
5. HELP (or INFO) is answered from content/sms.yml;
6. anything else gets the bot's replies, split for SMS, with buttons as numbered choices;
7. if the turn failed on our side (the action server down), the person is told at once, with
   where to get help now, and the text is kept (encrypted) to be answered later
   (bot/services/sms/inbound.py): it is not marked answered.

Everything here happens in the caller's unit of work: the replies are queued in the same
transaction that marks the text answered, so a text is answered once or not at all.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.common.sms_text import numbered_choices, split_for_sms
from bot.services.crisis.content import load_crisis_content
from bot.services.messaging import outbox
from bot.services.messaging.outbox import CRISIS_REPLY_PURPOSE
from bot.services.messaging.rate_limits import Verdict
from bot.services.messaging.reach import contact_for_number
from bot.services.privacy import audit
from bot.services.sms.content import SmsContent, load_sms_content
from bot.services.sms.inbound import keep_for_retry, mark_answered, remember_choices
from bot.services.sms.keywords import Keyword, keyword_in
from bot.settings import get_settings

REPLY_PURPOSE = "reply"


def reply_key_prefix(message_sid: str) -> str:
    """Every reply to one inbound text has an idempotency key starting with this."""
    return f"sms-reply:{message_sid}:"


class Outcome(str, enum.Enum):
    replies = "replies"  # the bot's replies
    crisis_replies = "crisis_replies"  # the bot's replies to a crisis message
    crisis_contacts = "crisis_contacts"  # the contacts from content, without the dialogue
    opt_out = "opt_out"
    opt_in = "opt_in"
    help = "help"
    apology = "apology"  # the turn failed on our side: told so, the text kept
    slow_down = "slow_down"  # over the rate limit: asked once to slow down
    nothing = "nothing"  # opted out, or over the limit again: nothing is sent


def keyword_for(text: str, opted_out: bool) -> Keyword | None:
    """The keyword a text is for this person: START/YES/UNSTOP only mean "opt back in" after
    STOP (otherwise "yes" is an ordinary answer)."""
    keyword = keyword_in(text)
    if keyword is Keyword.opt_in and not opted_out:
        return None
    return keyword


def needs_crisis_check(keyword: Keyword | None, opted_out: bool, limit: Verdict = Verdict.allowed) -> bool:
    """Whether to read the text with NLU before deciding: every keyword, every text after
    STOP and every text over the rate limit, because none would otherwise reach the dialogue."""
    return keyword is not None or opted_out or limit is not Verdict.allowed


def needs_turn(keyword: Keyword | None, opted_out: bool, crisis: bool, limit: Verdict = Verdict.allowed) -> bool:
    """Whether the dialogue runs a whole turn. STOP does too (whatever the rate limit), so a
    plan question in progress stops as it would for the conversation's own "stop"; HELP and
    START do not (a "yes" that opts back in must not confirm whatever was last asked)."""
    within_limit = limit is Verdict.allowed
    return crisis or keyword is Keyword.opt_out or (keyword is None and not opted_out and within_limit)


def decide(
    keyword: Keyword | None,
    opted_out: bool,
    crisis: bool,
    turn_failed: bool,
    limit: Verdict = Verdict.allowed,
    asks_for_contacts: bool = False,
) -> Outcome:
    if crisis:
        return Outcome.crisis_contacts if turn_failed else Outcome.crisis_replies
    if keyword is Keyword.opt_out:
        return Outcome.opt_out
    if opted_out and keyword is Keyword.opt_in:
        return Outcome.opt_in  # like STOP, START is always honoured
    if opted_out and asks_for_contacts:
        return Outcome.crisis_contacts  # no dialogue after STOP, but never silence on "who can I call?"
    if limit is not Verdict.allowed:
        return Outcome.slow_down if limit is Verdict.slow_down and not opted_out else Outcome.nothing
    if opted_out:
        return Outcome.help if keyword is Keyword.help else Outcome.nothing
    if keyword is Keyword.help:
        return Outcome.help
    return Outcome.apology if turn_failed else Outcome.replies


@dataclass(frozen=True)
class BotReply:
    text: str
    buttons: tuple[tuple[str, str], ...] = ()  # (title, payload)


def sms_bodies(replies: list[BotReply], content: SmsContent) -> tuple[list[str], list[str]]:
    """The texts to send for a turn's replies, and the payloads of the numbered choices in
    them. Short replies share a text; long ones are split (bot/common/sms_text.py)."""
    blocks: list[str] = []
    payloads: list[str] = []
    for reply in replies:
        block = reply.text.strip()
        if reply.buttons:
            choices = numbered_choices(
                [title for title, _ in reply.buttons],
                content.choices_intro,
                content.choice_item,
                start=len(payloads) + 1,
            )
            payloads.extend(payload for _, payload in reply.buttons)
            block = f"{block}\n{choices}" if block else choices
        if block:
            blocks.append(block)
    return split_for_sms("\n\n".join(blocks)), payloads


def finish_turn(
    session: Session,
    *,
    message_sid: str,
    number: str,
    sender_id: str,
    person_id: str,
    outcome: Outcome,
    replies: list[BotReply],
    now: datetime,
    text: str = "",
    crisis: bool = False,
) -> list[str]:
    """Apply the outcome and queue what is to be sent. Returns the queued texts; when the
    outcome `is_urgent`, the caller sends them at once (their keys: `reply_key`)."""
    content = load_sms_content()
    bodies: list[str] = []
    payloads: list[str] | None = None  # None: the choices last offered still stand
    contact = contact_for_number(session, number)
    if outcome in (Outcome.replies, Outcome.crisis_replies):
        bodies, payloads = sms_bodies(replies, content)
    elif outcome is Outcome.crisis_contacts:
        bodies = split_for_sms(crisis_contacts_text(crisis))
        if contact is not None and contact.opted_out_at is not None:
            audit.record(session, None, "crisis_help_after_opt_out", person_id, actor_kind="system", now=now)
    elif outcome is Outcome.opt_out:
        if contact is not None and contact.opted_out_at is None:
            contact.opted_out_at = now
        outbox.cancel_pending_for(session, person_id, "sms")
        payloads = []
    elif outcome is Outcome.opt_in:
        if contact is not None:
            contact.opted_out_at = None
        bodies, payloads = [content.text("opted_in")], []
    elif outcome is Outcome.help:
        bodies = [content.text("help")]
    elif outcome is Outcome.apology:
        bodies = [content.text("something_went_wrong")]
        keep_for_retry(session, message_sid, number, text, now)
    elif outcome is Outcome.slow_down:
        bodies = [content.text("slow_down")]
    purpose = CRISIS_REPLY_PURPOSE if is_urgent(outcome) else REPLY_PURPOSE
    for index, body in enumerate(bodies):
        outbox.enqueue(
            session,
            channel="sms",
            recipient=number,
            body=body,
            purpose=purpose,
            person_id=person_id,
            idempotency_key=reply_key(message_sid, index, outcome),
        )
    if payloads is not None:
        remember_choices(session, sender_id, payloads, now)
    if outcome is not Outcome.apology:
        mark_answered(session, message_sid, now)
    return bodies


def is_urgent(outcome: Outcome) -> bool:
    """Crisis replies: never cancelled, sent at once by the webhook."""
    return outcome in (Outcome.crisis_replies, Outcome.crisis_contacts)


def reply_key(message_sid: str, index: int, outcome: Outcome) -> str:
    """The idempotency key of one queued text. The apology for a failed turn has keys of its
    own, so the replies sent when the kept text is answered later are not taken for it."""
    if outcome is Outcome.apology:
        return f"sms-apology:{message_sid}:{index}"
    return f"{reply_key_prefix(message_sid)}{index}"


def crisis_contacts_text(crisis: bool) -> str:
    """From content/crisis.yml: the crisis reply for crisis language, else the contacts asked for."""
    return load_crisis_content(get_settings()).render("for_self" if crisis else "contacts_on_request")
