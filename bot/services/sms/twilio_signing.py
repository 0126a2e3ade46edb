"""Twilio request signatures: checking Twilio's, and making our own for the SMS simulator.

Twilio signs every webhook (inbound texts and status callbacks) with HMAC-SHA1, keyed with the
account's auth token, over the exact URL it called followed by every POST parameter sorted by
name (blank ones included). The twilio library's RequestValidator does the sums.

The URL must be the one Twilio called. Behind a TLS proxy the server sees another
(http://127.0.0.1:5005/...), so when PUBLIC_BASE_URL is set the URL is rebuilt from it plus the
request's path and query, never from the Host or X-Forwarded-* headers, which any caller can
set. Without PUBLIC_BASE_URL (local use) the URL is the one the request was sent to.

Without Twilio credentials (the default, for local development) a development auth token
derived from SECRET_KEY stands in, so the simulator (`python -m bot sms`) is signed and checked
exactly as Twilio's requests are. In production there is no such token: without
TWILIO_AUTH_TOKEN every request is refused, and start-up requires PUBLIC_BASE_URL with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from twilio.request_validator import RequestValidator

from bot.security.pseudonyms import keyed_hash
from bot.settings import Settings

DEVELOPMENT_TOKEN_PURPOSE = "twilio-development-auth-token"


def signing_token(settings: Settings) -> str | None:
    """The auth token requests are signed with, or None when none may be accepted."""
    if settings.twilio_auth_token:
        return settings.twilio_auth_token
    if settings.environment == "production":
        return None
    return keyed_hash("alongside", DEVELOPMENT_TOKEN_PURPOSE)[:32]


def signed_url(settings: Settings, path: str, query_string: str, request_base: str) -> str:
    """The URL the signature covers: PUBLIC_BASE_URL (or, unset, the base the request came to)
    plus the path and the query string as sent."""
    base = settings.public_base_url or request_base.rstrip("/")
    return f"{base}{path}" + (f"?{query_string}" if query_string else "")


def is_signed_by_twilio(
    settings: Settings, url: str, params: Mapping[str, Sequence[str]], signature: str | None
) -> bool:
    token = signing_token(settings)
    if not token or not signature:
        return False
    return RequestValidator(token).validate(url, _MultiParams(params), signature)


def signature_for(settings: Settings, url: str, params: Mapping[str, Sequence[str]]) -> str:
    """What Twilio would put in X-Twilio-Signature for this request (for the simulator)."""
    token = signing_token(settings)
    if not token:
        raise RuntimeError("There is no Twilio auth token to sign with in production.")
    return RequestValidator(token).compute_signature(url, _MultiParams(params))


class _MultiParams(dict):
    """Parameters with several values each, in the shape RequestValidator reads (getlist)."""

    def getlist(self, name: str) -> list[str]:
        return list(self[name])
