"""Encryption of free text and phone numbers at rest (Fernet, with key rotation).

What a person tells us (plan items, notes, messages) and the numbers we text are encrypted
before they reach the database, so a copy of the database alone reveals nothing. Keys come from
ENCRYPTION_KEYS, newest first: new data uses the newest key, and older keys still decrypt, so a
key can be rotated without downtime (`python -m bot keys new`, then re-encrypt; docs/privacy.md).
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.settings import get_settings


class DecryptionError(RuntimeError):
    """Stored text could not be decrypted with any configured key (a key was removed too soon)."""


@lru_cache(maxsize=1)
def _cipher() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in get_settings().encryption_keys])


def encrypt_text(plain: str) -> str:
    return _cipher().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise DecryptionError("Stored text could not be decrypted with the configured keys.") from None


def reencrypt_text(token: str) -> str:
    """The same text under the newest key (for rotation)."""
    return _cipher().rotate(token.encode("ascii")).decode("ascii")


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def forget_keys() -> None:
    """Tests change ENCRYPTION_KEYS; this makes the next call read them again."""
    _cipher.cache_clear()
