"""Our Twilio SMS channel, at /webhooks/twilio/webhook (texts) and /webhooks/twilio/status
(delivery reports). Rasa's own Twilio channel is not used: it checks no signature, uses the
phone number as the sender id, answers a request without Body with a 500, and sends replies
with a blocking call inside the event loop.

For each inbound text:
1. the X-Twilio-Signature is checked (bot/services/sms/twilio_signing.py): unsigned, forged or
   altered requests get 403 and are logged without their content;
2. the MessageSid is taken in once, in one transaction (bot/services/sms/inbound.py): a replay
   or Twilio retry gets 200 and nothing else, even after a restart;
3. the text is cleaned ("/intent" cannot skip NLU); a keyword (STOP, START, HELP), any text
   after STOP, or any text over the number's rate limit (bot/services/messaging/rate_limits.py) is first
   read by NLU alone, so a crisis message is never swallowed; a reply
   that is only a number picks one of the numbered choices last offered (our own payload);
4. the dialogue runs under a keyed hash of the number, never the number itself;
5. the replies (or HELP, or nothing after STOP) are queued in the outbox in one transaction
   (bot/services/sms/turns.py); the worker sends them (bot/worker.py);
6. Twilio gets empty TwiML (200).

The webhook waits for the turn (10 to 50 ms here, well inside Twilio's 15 s) before answering,
so that the text is processed and its replies queued before Twilio hears "OK"; sending happens
after, in the worker, so a slow or failing Twilio API never holds up the webhook. Database work
runs in a thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import re
import weakref
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sqlalchemy.exc import IntegrityError
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.crisis_check import (
    CRISIS_CONTACTS_INTENT,
    CRISIS_INTENT,
    CRISIS_RESPONSES,
    POSSIBLE_RISK_INTENT,
    must_let_through,
    nlu_intent,
)
from bot.common.clock import utc_now
from bot.language.inbound_text import clean_inbound_text
from bot.rasa_patches.action_guard import ActionServerUnavailable
from bot.services.messaging.dispatch import deliver_now
from bot.services.messaging.rate_limits import SenderRateLimiter, Verdict
from bot.services.people.lookup import person_for_address
from bot.services.sms.inbound import (
    CHANNEL,
    Arrival,
    WaitingText,
    keep_for_retry,
    payload_for_reply,
    sender_id_for,
    take_in,
    take_waiting,
)
from bot.services.sms.phone_numbers import is_e164
from bot.services.sms.status import record_sms_status
from bot.services.sms.turns import (
    BotReply,
    Outcome,
    decide,
    finish_turn,
    is_urgent,
    keyword_for,
    needs_crisis_check,
    needs_turn,
    reply_key,
)
from bot.services.sms.twilio_signing import is_signed_by_twilio, signed_url
from bot.settings import get_settings
from bot.store.db import unit_of_work

logger = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 64 * 1024  # a text is at most 1,600 characters; Twilio's parameters add a little
_MESSAGE_SID = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")
EMPTY_TWIML = str(MessagingResponse())
RETRY_POLL_SECONDS = 15  # how often kept texts (a failed turn) are looked for


def form_params(request: Request) -> dict[str, list[str]]:
    """The POST parameters as Twilio signed them: blank values kept (Sanic's own request.form
    drops them, which would break the signature of a text with an empty Body)."""
    if (request.content_type or "").split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        return {}
    return parse_qs(request.body.decode("utf-8", errors="replace"), keep_blank_values=True)


def _first(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name) or [""]
    return values[0]


class TwilioSmsInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "sms"

    def url_prefix(self) -> str:
        return "twilio"  # Twilio's conventional path: /webhooks/twilio/webhook

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TwilioSmsInput:
        return cls()  # secrets come from settings (.env), never from credentials.yml

    def __init__(self) -> None:
        # One turn at a time per conversation, so two quick texts queue their replies in order.
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.rate_limiter = SenderRateLimiter()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        twilio = Blueprint("alongside_twilio_sms", __name__)
        self._on_new_message = on_new_message

        @twilio.listener("after_server_start")
        async def start_answering_kept_texts(app, _loop) -> None:
            app.add_task(self._answer_waiting_forever())

        @twilio.route("/", methods=["GET"])
        async def health(_: Request):
            return response.json({"status": "ok"})

        @twilio.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            params, refusal = self._checked(request)
            if refusal is not None:
                return refusal
            message_sid, number = _first(params, "MessageSid"), _first(params, "From").strip()
            if not _MESSAGE_SID.match(message_sid) or not is_e164(number):
                return response.text("A text needs a MessageSid and a From number (E.164).", status=400)
            return await self._receive(request, on_new_message, message_sid, number, _first(params, "Body"))

        @twilio.route("/status", methods=["POST"])
        async def status(request: Request):
            params, refusal = self._checked(request)
            if refusal is not None:
                return refusal
            provider_id = _first(params, "MessageSid") or _first(params, "SmsSid")
            state = _first(params, "MessageStatus") or _first(params, "SmsStatus")
            if provider_id and state:
                try:
                    await asyncio.to_thread(_record_status, provider_id, state, _first(params, "ErrorCode"))
                except Exception:
                    logger.exception("A Twilio status report could not be recorded.")
                    return response.text("", status=503)
            return response.text("", status=204)

        return twilio

    # -- checks ------------------------------------------------------------------------------

    def _checked(self, request: Request):
        """The signed parameters, or the refusal to send instead."""
        if len(request.body or b"") > MAX_REQUEST_BYTES:
            logger.warning("Refused an oversized request to %s.", request.path)
            return {}, response.text("Request too large.", status=413)
        params = form_params(request)
        settings = get_settings()
        url = signed_url(settings, request.path, request.query_string, f"{request.scheme}://{request.host}")
        if not is_signed_by_twilio(settings, url, params, request.headers.get("X-Twilio-Signature")):
            # Content-free on purpose: no number, no text, no signature.
            logger.warning("Refused a request to %s without a valid Twilio signature.", request.path)
            return {}, response.text("Forbidden: this request is not signed by Twilio.", status=403)
        return params, None

    # -- a text ------------------------------------------------------------------------------

    async def _receive(self, request, on_new_message, message_sid: str, number: str, body: str):
        now = utc_now()
        try:
            arrival = await asyncio.to_thread(_take_in, message_sid, number, now)
        except IntegrityError:
            arrival = Arrival(first_time=False)  # its twin got in a moment before
        except Exception:
            logger.exception("An inbound text could not be recorded (content not logged).")
            return response.text(EMPTY_TWIML, status=503, content_type="text/xml")
        if not arrival.first_time:
            logger.info("A text already taken in was sent again; acknowledged, not processed.")
            return response.text(EMPTY_TWIML, content_type="text/xml")
        sender_id = sender_id_for(number)
        lock = self._locks.get(sender_id)
        if lock is None:
            lock = self._locks[sender_id] = asyncio.Lock()
        async with lock:
            await self._converse(request, on_new_message, arrival, message_sid, number, sender_id, body)
        return response.text(EMPTY_TWIML, content_type="text/xml")

    async def _converse(self, request, on_new_message, arrival: Arrival, message_sid, number, sender_id, body):
        text = clean_inbound_text(body)
        keyword = keyword_for(text, arrival.opted_out)
        settings = get_settings()
        limit = self.rate_limiter.check(
            sender_id, settings.chat_rate_limit_messages, settings.chat_rate_limit_window_seconds
        )
        agent = getattr(request.app.ctx, "agent", None)
        crisis = asks_for_contacts = without_dialogue = False
        if limit is not Verdict.allowed and keyword is None:
            crisis = await must_let_through(agent, text)  # crisis words or contacts, or unreadable
        elif needs_crisis_check(keyword, arrival.opted_out, limit):
            intent = await nlu_intent(agent, text) if text else None
            crisis, asks_for_contacts = (
                intent in (CRISIS_INTENT, POSSIBLE_RISK_INTENT),
                intent == CRISIS_CONTACTS_INTENT,
            )
            # After STOP an answer to "Are you safe right now?" would not be read, so possible
            # risk gets the full crisis reply from content, without asking.
            without_dialogue = intent == POSSIBLE_RISK_INTENT and arrival.opted_out
        replies: list[BotReply] = []
        failed = False
        if without_dialogue:
            failed = True  # no turn: decide() sends the crisis reply from content/crisis.yml
        elif needs_turn(keyword, arrival.opted_out, crisis, limit):
            chosen = payload_for_reply(text, arrival.choices) if keyword is None and not crisis else None
            replies, failed, crisis_reply = await self._run_turn(on_new_message, chosen or text, sender_id, message_sid)
            crisis = crisis or crisis_reply
        outcome = decide(keyword, arrival.opted_out, crisis, failed, limit, asks_for_contacts)
        await self._settle(message_sid, number, sender_id, arrival.person_id, outcome, replies, text, crisis)

    async def _run_turn(self, on_new_message, text: str, sender_id: str, message_sid: str):
        """The bot's replies to one text, whether the turn failed on our side, and whether the
        replies are a crisis reply (crisis language found by the dialogue's own NLU)."""
        collector = _ReplyCollector()
        message = UserMessage(text, collector, sender_id, input_channel=self.name(), message_id=message_sid)
        failed = False
        try:
            await on_new_message(message)
        except (Exception, ActionServerUnavailable):
            logger.exception("An SMS turn failed (text not logged).")
            failed = True
        crisis_reply = bool(collector.responses & CRISIS_RESPONSES)
        return ([] if failed else [_bot_reply(sent) for sent in collector.messages]), failed, crisis_reply

    async def _settle(self, message_sid, number, sender_id, person_id, outcome: Outcome, replies, text, crisis) -> None:
        """Queue what the outcome sends; a crisis reply is then sent at once, not at the
        worker's next poll, so it leaves before a STOP sent a second later reaches Twilio."""
        try:
            bodies = await asyncio.to_thread(
                _finish,
                message_sid=message_sid,
                number=number,
                sender_id=sender_id,
                person_id=person_id,
                outcome=outcome,
                replies=replies,
                text=text,
                crisis=crisis,
            )
        except Exception:
            logger.exception("The replies to a text could not be queued (content not logged).")
            return
        if is_urgent(outcome) and bodies:
            keys = [reply_key(message_sid, index, outcome) for index in range(len(bodies))]
            try:
                await asyncio.to_thread(deliver_now, keys)
            except Exception:  # still queued: the worker sends it
                logger.exception("A crisis reply could not be sent at once; the worker will send it.")

    # -- texts kept to answer later ------------------------------------------------------------

    async def _answer_waiting_forever(self) -> None:
        while True:
            await asyncio.sleep(RETRY_POLL_SECONDS)
            try:
                await self.answer_waiting()
            except Exception:
                logger.exception("Kept texts could not be answered this time; trying again later.")

    async def answer_waiting(self) -> int:
        """Answer texts kept because their turn failed (the action server was down). Run every
        RETRY_POLL_SECONDS by the channel; safe with several rasa servers (each text is taken
        by one). Returns how many were tried."""
        waiting = await asyncio.to_thread(_take_waiting)
        for kept in waiting:
            await self._answer_kept(self._on_new_message, kept)
        return len(waiting)

    async def _answer_kept(self, on_new_message, kept: WaitingText) -> None:
        sender_id = sender_id_for(kept.number)
        lock = self._locks.get(sender_id)
        if lock is None:
            lock = self._locks[sender_id] = asyncio.Lock()
        async with lock:
            person_id = await asyncio.to_thread(_person_for_number, kept.number)
            replies, failed, crisis = await self._run_turn(on_new_message, kept.text, sender_id, kept.message_sid)
            outcome = Outcome.apology if failed else Outcome.crisis_replies if crisis else Outcome.replies
            if failed:  # told once already: keep it quietly for the next try
                await asyncio.to_thread(_keep_again, kept, utc_now())
                return
            await self._settle(kept.message_sid, kept.number, sender_id, person_id, outcome, replies, kept.text, crisis)


class _ReplyCollector(CollectingOutputChannel):
    """Collects the replies, and the names of the responses they came from."""

    def __init__(self) -> None:
        super().__init__()
        self.responses: set[str] = set()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if message.get("utter_action"):
            self.responses.add(str(message["utter_action"]))
        await super().send_response(recipient_id, message)


def _bot_reply(sent: dict) -> BotReply:
    buttons = tuple(
        (str(button.get("title") or ""), str(button.get("payload") or ""))
        for button in sent.get("buttons") or []
        if button.get("title") and button.get("payload")
    )
    return BotReply(text=str(sent.get("text") or ""), buttons=buttons)


def _take_in(message_sid: str, number: str, now) -> Arrival:
    with unit_of_work() as session:
        return take_in(session, message_sid, number, now)


def _finish(**turn) -> list[str]:
    with unit_of_work() as session:
        return finish_turn(session, now=utc_now(), **turn)


def _take_waiting() -> list[WaitingText]:
    with unit_of_work() as session:
        return take_waiting(session, utc_now())


def _keep_again(kept: WaitingText, now) -> None:
    with unit_of_work() as session:
        keep_for_retry(session, kept.message_sid, kept.number, kept.text, now)


def _person_for_number(number: str) -> str:
    with unit_of_work() as session:
        return person_for_address(session, CHANNEL, sender_id_for(number)).id


def _record_status(provider_id: str, state: str, error_code: str) -> None:
    with unit_of_work() as session:
        record_sms_status(session, provider_id, state, error_code, utc_now())
