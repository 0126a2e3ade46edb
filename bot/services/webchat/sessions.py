"""Web chat conversations: issued by the server, kept by the browser in a signed cookie.

The chat page gives each browser a random conversation id in a cookie signed with SECRET_KEY
(HttpOnly, so page scripts cannot read it; SameSite=Strict, so other sites cannot use it).
The Socket.IO connection reads the cookie from its handshake and binds the socket to that
conversation; anything a client sends as a session id is ignored. Rasa sees only a keyed hash
of the id, so neither the database nor the logs hold the cookie's value.

The cookie is `v1.<conversation id>.<issued at, unix seconds>.<signature>`; it is refused once
older than WEBCHAT_SESSION_DAYS, and re-issued (same conversation, new time) on each visit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime
from http.cookies import CookieError, SimpleCookie

from bot.security.pseudonyms import keyed_hash
from bot.settings import get_settings

COOKIE_NAME = "alongside_chat"
COOKIE_PATH = "/webhooks/webchat"
CHANNEL = "webchat"
_VERSION = "v1"
_SIGNING_PURPOSE = b"webchat-cookie"
_SENDER_PURPOSE = "webchat-sender"
_CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_conversation_id() -> str:
    """32 random URL-safe characters (192 bits): unguessable."""
    return secrets.token_urlsafe(24)


def _signature(payload: str) -> str:
    key = get_settings().secret_key.encode()
    digest = hmac.new(key, _SIGNING_PURPOSE + b"\x00" + payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def cookie_value(conversation_id: str, now: datetime) -> str:
    payload = f"{_VERSION}.{conversation_id}.{int(now.timestamp())}"
    return f"{payload}.{_signature(payload)}"


def conversation_for_cookie(value: str | None, now: datetime) -> str | None:
    """The conversation id in a cookie value, or None if it is missing, forged or too old."""
    if not isinstance(value, str) or value.count(".") != 3:
        return None
    version, conversation_id, issued, signature = value.split(".")
    payload = f"{version}.{conversation_id}.{issued}"
    if version != _VERSION or not _CONVERSATION_ID.match(conversation_id) or not issued.isdigit():
        return None
    if not hmac.compare_digest(signature, _signature(payload)):
        return None
    age = now.timestamp() - int(issued)
    if age < -300 or age > cookie_max_age_seconds():
        return None
    return conversation_id


def cookie_from_header(header: str | None) -> str | None:
    """Our cookie's value from a Cookie header, or None (a malformed header is just no cookie)."""
    if not header:
        return None
    cookies = SimpleCookie()
    try:
        cookies.load(header)
    except CookieError:
        return None
    morsel = cookies.get(COOKIE_NAME)
    return morsel.value if morsel is not None else None


def cookie_max_age_seconds() -> int:
    return get_settings().webchat_session_days * 24 * 60 * 60


def sender_id_for(conversation_id: str) -> str:
    """What Rasa knows the conversation as: a keyed hash, never the cookie's id itself."""
    return keyed_hash(conversation_id, _SENDER_PURPOSE)
