"""Encryption at rest: round trip, rotation to a new key, and a clear error for a lost key."""

from __future__ import annotations

import pytest

from bot.security import encryption
from bot.settings import SettingsError, get_settings


@pytest.fixture
def keys(monkeypatch):
    def use(*fernet_keys: str) -> None:
        monkeypatch.setenv("ENCRYPTION_KEYS", ",".join(fernet_keys))
        get_settings.cache_clear()
        encryption.forget_keys()

    yield use
    monkeypatch.delenv("ENCRYPTION_KEYS", raising=False)
    get_settings.cache_clear()
    encryption.forget_keys()


def test_round_trip_hides_the_text():
    token = encryption.encrypt_text("I stop sleeping when things go wrong")
    assert "sleeping" not in token
    assert encryption.decrypt_text(token) == "I stop sleeping when things go wrong"


def test_rotation_keeps_old_text_readable_and_moves_it_to_the_new_key(keys):
    old, new = encryption.new_key(), encryption.new_key()
    keys(old)
    token = encryption.encrypt_text("walk by the river")
    keys(new, old)
    assert encryption.decrypt_text(token) == "walk by the river"
    rotated = encryption.reencrypt_text(token)
    keys(new)
    assert encryption.decrypt_text(rotated) == "walk by the river"
    with pytest.raises(encryption.DecryptionError):
        encryption.decrypt_text(token)


def test_a_malformed_key_stops_start_up_naming_the_setting(keys, monkeypatch):
    monkeypatch.setenv("ENCRYPTION_KEYS", "not-a-key")
    get_settings.cache_clear()
    with pytest.raises(SettingsError, match="ENCRYPTION_KEYS"):
        get_settings()


def test_production_needs_its_own_keys(monkeypatch):
    monkeypatch.setenv("ALONGSIDE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("ENCRYPTION_KEYS", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="ENCRYPTION_KEYS"):
            get_settings()
    finally:
        monkeypatch.setenv("ALONGSIDE_ENV", "test")
        get_settings.cache_clear()
