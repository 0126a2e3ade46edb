"""Keyed hashes for identifiers we must recognise but must not store.

A keyed hash (HMAC-SHA256 with the service's secret) lets us find a person by their phone
number or session id without keeping the number: without the key the hash cannot be reversed
by trying every UK mobile number. The purpose string keeps hashes for different uses apart.
"""

from __future__ import annotations

import hashlib
import hmac

from bot.settings import get_settings


def keyed_hash(value: str, purpose: str) -> str:
    key = get_settings().secret_key.encode()
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
