"""Settings: safe defaults, and a clear message naming any setting that is wrong."""
from __future__ import annotations

import pytest

from bot.settings import PROJECT_ROOT, SettingsError, load_settings

ALL = [
    "ALONGSIDE_ENV", "DATABASE_URL", "SECRET_KEY", "RASA_PORT", "ACTION_PORT", "ACTION_SERVER_URL",
    "MODEL_DIR", "SMS_SINK_PATH", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER",
    "PUBLIC_BASE_URL", "LOCAL_CRISIS_LINE_NAME", "LOCAL_CRISIS_LINE_NUMBER", "LOCAL_CRISIS_LINE_SOURCE",
    "WEBCHAT_SESSION_DAYS", "LINK_CODE_MINUTES", "LINK_CODE_TRIES_PER_HOUR",
]


@pytest.fixture
def clean_environment(monkeypatch):
    for name in ALL:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("bot.settings.load_dotenv", lambda *a, **k: None)  # ignore a developer's .env
    return monkeypatch


def test_defaults_run_locally_on_sqlite_without_twilio(clean_environment):
    settings = load_settings()
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'alongside.db'}"
    assert settings.uses_sqlite and not settings.twilio_configured
    assert (settings.rasa_port, settings.action_port) == (5005, 5055)
    assert settings.action_server_url == "http://localhost:5055/webhook"
    assert (settings.webchat_session_days, settings.link_code_minutes, settings.link_code_tries_per_hour) == (30, 15, 5)


def test_empty_values_as_in_env_example_mean_the_default(clean_environment):
    clean_environment.setenv("ACTION_SERVER_URL", "")
    clean_environment.setenv("RASA_PORT", "")
    assert load_settings().rasa_port == 5005
    assert load_settings().action_server_url.endswith(":5055/webhook")


def test_relative_sqlite_path_is_taken_from_the_project_root(clean_environment):
    clean_environment.setenv("DATABASE_URL", "sqlite:///var/other.db")
    assert load_settings().database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'other.db'}"


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("RASA_PORT", "abc", "RASA_PORT"),
        ("ACTION_PORT", "70000", "ACTION_PORT"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ("SECRET_KEY", "short", "SECRET_KEY"),
        ("ALONGSIDE_ENV", "staging", "ALONGSIDE_ENV"),
        ("TWILIO_ACCOUNT_SID", "AC123", "TWILIO_AUTH_TOKEN"),
        ("LOCAL_CRISIS_LINE_NUMBER", "0800 000 0000", "LOCAL_CRISIS_LINE_SOURCE"),
        ("WEBCHAT_SESSION_DAYS", "0", "WEBCHAT_SESSION_DAYS"),
        ("LINK_CODE_MINUTES", "a while", "LINK_CODE_MINUTES"),
        ("LINK_CODE_TRIES_PER_HOUR", "-1", "LINK_CODE_TRIES_PER_HOUR"),
    ],
)
def test_a_bad_setting_is_named(clean_environment, name, value, named):
    clean_environment.setenv(name, value)
    with pytest.raises(SettingsError, match=named):
        load_settings()


def test_production_refuses_the_development_secret(clean_environment):
    clean_environment.setenv("ALONGSIDE_ENV", "production")
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings()
