"""The web chat: a page and a Socket.IO endpoint under /webhooks/webchat/ on the rasa server.

- GET /webhooks/webchat/ serves the chat page (bot/web/chat_page.py) with a strict Content
  Security Policy, and gives the browser its conversation in a signed, HttpOnly, SameSite=Strict
  cookie (bot/services/webchat/sessions.py). A reload keeps the same conversation.
- Socket.IO is attached at /webhooks/webchat/socket.io, the same origin as the page; origins
  are checked against a fixed list (never "*"). On connect the cookie in the handshake binds the
  socket to its conversation; a socket without a valid cookie is refused. Nothing a client
  sends can choose the conversation: there is no session id in any event.
- Rasa's sender id is a keyed hash of the conversation id. Every message is cleaned like on
  every channel (no "/intent" injection) and goes through NLU, so the crisis detector reads it.
  A message that is not text, or is too long, gets a kind reply from content/webchat.yml.
  A conversation over its rate limit (bot/services/messaging/rate_limits.py) is asked once to slow down
  and its messages are not taken in, except a crisis message, which is always answered.
  Message text is never logged.

Events: the client emits `user_uttered` {"message": text} and `history_request`; the server
emits `bot_uttered` {"text", "quick_replies": [{"title"}]}, `user_echo` (to the person's other
tabs) and `history` [{"from": "user"|"bot", "text"}], where the bot message whose buttons are
still the current question also has its "quick_replies" (bot/services/webchat/history.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from socketio import AsyncServer

from bot.channels.crisis_check import must_let_through, turn_failed_text
from bot.common.clock import utc_now
from bot.language.inbound_text import clean_inbound_text
from bot.rasa_patches.action_guard import ActionServerUnavailable
from bot.security.client_address import client_address, trust_configured_proxies
from bot.services.messaging.rate_limits import SenderRateLimiter, Verdict
from bot.services.people import code_tries
from bot.services.webchat.content import MAX_MESSAGE_CHARS, load_webchat_content
from bot.services.webchat.history import BOT, USER, Said, button_titles, history_entries
from bot.services.webchat.sessions import (
    CHANNEL,
    COOKIE_NAME,
    COOKIE_PATH,
    conversation_for_cookie,
    cookie_from_header,
    cookie_max_age_seconds,
    cookie_value,
    new_conversation_id,
    sender_id_for,
)
from bot.settings import get_settings, public_base_url
from bot.web.chat_page import PAGE_PATH, chat_page_html, static_file

logger = logging.getLogger(__name__)

SOCKET_PATH = f"{PAGE_PATH}/socket.io"
MAX_SOCKET_PACKET_BYTES = 64 * 1024  # a 4,000-character message in any script fits easily
HISTORY_MESSAGES = 50

PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
STATIC_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}


def allowed_origins() -> list[str]:
    """Where the page may be opened from: this server on localhost, and PUBLIC_BASE_URL."""
    port = get_settings().rasa_port
    origins = {f"http://localhost:{port}", f"http://127.0.0.1:{port}"}
    public = urlsplit(public_base_url())
    origins.add(f"{public.scheme}://{public.netloc}")
    return sorted(origins)


def said_in(events: Iterable[Any]) -> list[Said]:
    """What was said, in order: every user message, and every bot message with its buttons."""
    said = []
    for event in events:
        if isinstance(event, UserUttered):
            said.append(Said(USER, event.text or ""))
        elif isinstance(event, BotUttered):
            data = event.data or {}
            replies = button_titles(data.get("quick_replies")) or button_titles(data.get("buttons"))
            said.append(Said(BOT, event.text or "", replies))
    return said


def history_of(events: Iterable[Any], limit: int = HISTORY_MESSAGES) -> list[dict[str, Any]]:
    """The conversation's last texts, for the page to show again after a reload, with the
    buttons that are still waiting for an answer."""
    return history_entries(said_in(events), limit)


class WebChatOutput(OutputChannel):
    """Sends replies to every socket of one conversation (its room is the sender id)."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def __init__(self, sio: AsyncServer) -> None:
        self.sio = sio

    async def _send(self, recipient_id: str, message: dict[str, Any]) -> None:
        await self.sio.emit("bot_uttered", message, room=recipient_id)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        # Only the titles: a quick reply sends its title as text, read by NLU like any words.
        titles = [{"title": title} for title in button_titles(buttons)]
        await self._send(recipient_id, {"text": text, "quick_replies": titles})


class SocketBlueprint(Blueprint):
    """A blueprint that also attaches the Socket.IO server to the app it is registered on."""

    def __init__(self, sio: AsyncServer, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ctx.sio = sio

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        trust_configured_proxies(app)  # so the client address behind the proxy is the client's
        self.ctx.sio.attach(app, SOCKET_PATH)
        super().register(app, options)


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def __init__(self) -> None:
        self.sio: AsyncServer | None = None
        self.rate_limiter = SenderRateLimiter()

    def get_output_channel(self) -> OutputChannel | None:
        return WebChatOutput(self.sio) if self.sio is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=allowed_origins(),
            max_http_buffer_size=MAX_SOCKET_PACKET_BYTES,
            logger=False,
            engineio_logger=False,
        )
        self.sio = sio
        chat = SocketBlueprint(sio, "alongside_webchat", __name__)
        self._add_page_routes(chat)
        self._add_socket_events(sio, chat, on_new_message, self.rate_limiter)
        return chat

    @staticmethod
    def _add_page_routes(chat: Blueprint) -> None:
        @chat.route("/", methods=["GET"])
        async def page(request: Request):
            now = utc_now()
            conversation = conversation_for_cookie(request.cookies.get(COOKIE_NAME), now) or new_conversation_id()
            page = response.html(chat_page_html(), headers=PAGE_HEADERS)
            # Re-issued on every visit: the same conversation, valid for another N days.
            page.cookies[COOKIE_NAME] = cookie_value(conversation, now)
            cookie = page.cookies[COOKIE_NAME]
            cookie["path"] = COOKIE_PATH
            cookie["max-age"] = cookie_max_age_seconds()
            cookie["httponly"] = True
            cookie["samesite"] = "Strict"
            cookie["secure"] = public_base_url().startswith("https://")
            return page

        @chat.route("/static/<name>", methods=["GET"])
        async def static(_: Request, name: str):
            found = static_file(name)
            if found is None:
                return response.text("Not found.", status=404, headers=STATIC_HEADERS)
            return response.raw(found.path.read_bytes(), content_type=found.content_type, headers=STATIC_HEADERS)

    @staticmethod
    def _add_socket_events(
        sio: AsyncServer,
        chat: Blueprint,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        rate_limiter: SenderRateLimiter,
    ) -> None:
        async def sender_of(sid: str) -> str | None:
            try:
                return (await sio.get_session(sid)).get("sender_id")
            except KeyError:  # the socket has gone
                return None

        async def source_of(sid: str) -> str | None:
            try:
                return (await sio.get_session(sid)).get("source")
            except KeyError:
                return None

        def running_agent() -> Any:
            return next((app.ctx.agent for app in chat.apps if getattr(app.ctx, "agent", None)), None)

        async def reply(sid: str, key: str) -> None:
            await sio.emit("bot_uttered", {"text": load_webchat_content().replies[key]}, to=sid)

        @sio.on("connect")
        async def connect(sid: str, environ: dict, auth: Any = None) -> None:
            cookie = cookie_from_header(environ.get("HTTP_COOKIE"))
            conversation = conversation_for_cookie(cookie, utc_now())
            if conversation is None:
                # The page sets the cookie; without it (expired, or not from our page) start again.
                raise ConnectionRefusedError("no-conversation")
            sender_id = sender_id_for(conversation)
            request = environ.get("sanic.request")
            source = code_tries.source_key(client_address(request)) if request is not None else None
            await sio.save_session(sid, {"sender_id": sender_id, "source": source})
            await sio.enter_room(sid, sender_id)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: Any = None, *_: Any) -> None:
            sender_id = await sender_of(sid)
            if sender_id is None:
                return
            text = data.get("message") if isinstance(data, dict) else None
            if not isinstance(text, str):
                await reply(sid, "not_text")
                return
            if len(text) > MAX_MESSAGE_CHARS:
                await reply(sid, "too_long")
                return
            cleaned = clean_inbound_text(text)
            settings = get_settings()
            limit = rate_limiter.check(
                sender_id, settings.chat_rate_limit_messages, settings.chat_rate_limit_window_seconds
            )
            if limit is not Verdict.allowed and not await must_let_through(running_agent(), cleaned):
                if limit is Verdict.slow_down:
                    await reply(sid, "slow_down")
                return
            await sio.emit("user_echo", {"text": cleaned}, room=sender_id, skip_sid=sid)
            source = await source_of(sid)
            metadata = {code_tries.SOURCE_METADATA_KEY: source} if source else None
            message = UserMessage(cleaned, WebChatOutput(sio), sender_id, input_channel=CHANNEL, metadata=metadata)
            try:
                await on_new_message(message)
            except (Exception, ActionServerUnavailable):
                logger.exception("A web chat message could not be handled (text not logged).")
                await WebChatOutput(sio).send_text_message(sender_id, turn_failed_text())

        @sio.on("history_request")
        async def history_request(sid: str, *_: Any) -> None:
            sender_id = await sender_of(sid)
            agent = running_agent()
            if sender_id is None or agent is None:
                return
            try:
                tracker = await agent.tracker_store.retrieve(sender_id)
            except Exception:
                logger.exception("A web chat history could not be read.")
                return
            await sio.emit("history", history_of(tracker.events if tracker else []), to=sid)
