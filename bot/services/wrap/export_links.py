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
PLAN_EXPORT = "plan-export"
DATA_EXPORT = "data-export"  # everything held about the person (bot/services/privacy/personal_data.py)


def _signature(payload: bytes, purpose: str) -> str:
    key = get_settings().secret_key.encode()
    digest = hmac.new(key, purpose.encode() + b"\x00" + payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def make_export_token(person_id: str, now: datetime, purpose: str = PLAN_EXPORT) -> str:
    expires = int((now + timedelta(minutes=EXPORT_LINK_MINUTES)).timestamp())
    payload = f"{person_id}:{expires}".encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _signature(payload, purpose)


def person_for_export_token(token: str, now: datetime, purpose: str = PLAN_EXPORT) -> str | None:
    """The person the token was made for, or None if it is forged, malformed, expired, or made
    for another purpose (a plan link never opens the full data export)."""
    try:
        encoded, signature = token.split(".", 1)
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        person_id, expires = payload.decode().rsplit(":", 1)
    except (ValueError, UnicodeDecodeError):
        return None
    if not hmac.compare_digest(signature, _signature(payload, purpose)):
        return None
    if now.timestamp() > int(expires):
        return None
    return person_id
