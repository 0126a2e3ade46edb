"""Short-lived links to a person's own plan export.

The link carries no health data and no stored secret: it is the person's id and an expiry
time, signed with SECRET_KEY (HMAC-SHA256). Anyone holding the link can open the export until
it expires, so links are short-lived (EXPORT_LINK_MINUTES) and only sent in the person's own
conversation.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta

from bot.settings import get_settings

EXPORT_LINK_MINUTES = 30
_PURPOSE = b"plan-export"


def _signature(payload: bytes) -> str:
    key = get_settings().secret_key.encode()
    digest = hmac.new(key, _PURPOSE + b"\x00" + payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def make_export_token(person_id: str, now: datetime) -> str:
    expires = int((now + timedelta(minutes=EXPORT_LINK_MINUTES)).timestamp())
    payload = f"{person_id}:{expires}".encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _signature(payload)


def person_for_export_token(token: str, now: datetime) -> str | None:
    """The person the token was made for, or None if it is forged, malformed or expired."""
    try:
        encoded, signature = token.split(".", 1)
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        person_id, expires = payload.decode().rsplit(":", 1)
    except (ValueError, UnicodeDecodeError):
        return None
    if not hmac.compare_digest(signature, _signature(payload)):
        return None
    if now.timestamp() > int(expires):
        return None
    return person_id
