"""A column type that stores text encrypted (bot/security/encryption.py) and reads it back.

Use `Column(EncryptedText)` for anything a person wrote and for phone numbers or email
addresses we must contact. Encrypted columns cannot be searched: look things up by a keyed
hash column beside them (a blind index) instead.
"""

from __future__ import annotations

from sqlalchemy.types import Text, TypeDecorator

from bot.security.encryption import decrypt_text, encrypt_text


class EncryptedText(TypeDecorator):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt_text(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt_text(value)
