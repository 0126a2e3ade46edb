"""Settings: safe defaults, and a clear message naming any setting that is wrong."""

from __future__ import annotations

import pytest

from bot.settings import PROJECT_ROOT, SettingsError, load_settings

ALL = [
    "ALONGSIDE_ENV",
    "DATABASE_URL",
    "SECRET_KEY",
    "RASA_PORT",
    "ACTION_PORT",
    "ACTION_SERVER_URL",
    "MODEL_DIR",
    "SMS_SINK_PATH",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_NUMBER",
    "PUBLIC_BASE_URL",
    "LOCAL_CRISIS_LINE_NAME",
    "LOCAL_CRISIS_LINE_NUMBER",
    "LOCAL_CRISIS_LINE_SOURCE",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "SMTP_FROM",
    "SMTP_STARTTLS",
    "EMAIL_SINK_PATH",
    "WORKER_POLL_SECONDS",
    "ENCRYPTION_KEYS",
    "CONSENT_REVIEW_MONTHS",
    "WEBCHAT_SESSION_DAYS",
    "LINK_CODE_MINUTES",
    "LINK_CODE_TRIES_PER_HOUR",
    "REDIS_URL",
    "REDIS_KEY_PREFIX",
    "SANIC_WORKERS",
    "WEB_HOST",
    "TRUSTED_PROXY_COUNT",
    "SIGN_IN_MAX_FAILURES",
    "SIGN_IN_MAX_FAILURES_PER_ADDRESS",
    "SIGN_IN_LOCKOUT_MINUTES",
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
        ("PUBLIC_BASE_URL", "alongside.example.org", "PUBLIC_BASE_URL"),
        ("SMTP_HOST", "smtp.example.org", "SMTP_FROM"),
        ("SMTP_USERNAME", "alongside", "SMTP_PASSWORD"),
        ("SMTP_STARTTLS", "maybe", "SMTP_STARTTLS"),
        ("WORKER_POLL_SECONDS", "0", "WORKER_POLL_SECONDS"),
        ("WEBCHAT_SESSION_DAYS", "0", "WEBCHAT_SESSION_DAYS"),
        ("LINK_CODE_MINUTES", "a while", "LINK_CODE_MINUTES"),
        ("LINK_CODE_TRIES_PER_HOUR", "-1", "LINK_CODE_TRIES_PER_HOUR"),
        ("TRUSTED_PROXY_COUNT", "all of them", "TRUSTED_PROXY_COUNT"),
        ("TRUSTED_PROXY_COUNT", "9", "TRUSTED_PROXY_COUNT"),
        ("SIGN_IN_MAX_FAILURES_PER_ADDRESS", "0", "SIGN_IN_MAX_FAILURES_PER_ADDRESS"),
    ],
)
def test_a_bad_setting_is_named(clean_environment, name, value, named):
    clean_environment.setenv(name, value)
    with pytest.raises(SettingsError, match=named):
        load_settings()


def test_sign_in_trusts_no_proxy_header_unless_told(clean_environment):
    settings = load_settings()
    assert settings.trusted_proxy_count == 0
    assert (settings.sign_in_max_failures, settings.sign_in_max_failures_per_address) == (5, 20)
    clean_environment.setenv("TRUSTED_PROXY_COUNT", "1")
    assert load_settings().trusted_proxy_count == 1


def test_production_refuses_the_development_secret(clean_environment):
    clean_environment.setenv("ALONGSIDE_ENV", "production")
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings()


def test_without_smtp_or_twilio_messages_go_to_local_sinks(clean_environment):
    settings = load_settings()
    assert not settings.smtp_configured and not settings.twilio_configured
    assert settings.sms_sink_path == PROJECT_ROOT / "var" / "sms-sink.jsonl"
    assert settings.email_sink_path == PROJECT_ROOT / "var" / "email-sink.jsonl"
    assert settings.smtp_port == 587 and settings.smtp_starttls


def test_production_with_twilio_needs_the_public_https_address(clean_environment):
    clean_environment.setenv("ALONGSIDE_ENV", "production")
    clean_environment.setenv("SECRET_KEY", "x" * 40)
    clean_environment.setenv("ENCRYPTION_KEYS", "A" * 43 + "=")
    for name, value in (("TWILIO_ACCOUNT_SID", "AC1"), ("TWILIO_AUTH_TOKEN", "t"), ("TWILIO_NUMBER", "+447700900000")):
        clean_environment.setenv(name, value)
    with pytest.raises(SettingsError, match="PUBLIC_BASE_URL"):
        load_settings()
    clean_environment.setenv("PUBLIC_BASE_URL", "https://alongside.example.org/")
    assert load_settings().public_base_url == "https://alongside.example.org"


def test_consent_review_defaults_to_six_months_and_refuses_nonsense(clean_environment):
    assert load_settings().consent_review_months == 6
    clean_environment.setenv("CONSENT_REVIEW_MONTHS", "12")
    assert load_settings().consent_review_months == 12
    for bad in ("0", "six", "-1", "120"):
        clean_environment.setenv("CONSENT_REVIEW_MONTHS", bad)
        with pytest.raises(SettingsError, match="CONSENT_REVIEW_MONTHS"):
            load_settings()


def test_the_production_profile_settings(clean_environment):
    defaults = load_settings()
    assert (defaults.redis_url, defaults.redis_key_prefix, defaults.sanic_workers) == ("", "alongside", 1)
    assert defaults.web_host == "127.0.0.1"
    clean_environment.setenv("REDIS_URL", "redis://redis:6379/0")
    clean_environment.setenv("SANIC_WORKERS", "3")
    clean_environment.setenv("WEB_HOST", "0.0.0.0")
    scaled = load_settings()
    assert (scaled.redis_url, scaled.sanic_workers, scaled.web_host) == ("redis://redis:6379/0", 3, "0.0.0.0")


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"REDIS_URL": "redis-host:6379"}, "REDIS_URL"),
        ({"REDIS_KEY_PREFIX": "a:b"}, "REDIS_KEY_PREFIX"),
        ({"SANIC_WORKERS": "2"}, "SANIC_WORKERS"),  # several workers need the Redis lock store
        ({"SANIC_WORKERS": "0", "REDIS_URL": "redis://r"}, "SANIC_WORKERS"),
    ],
)
def test_a_bad_scale_out_setting_is_named(clean_environment, settings, named):
    for name, value in settings.items():
        clean_environment.setenv(name, value)
    with pytest.raises(SettingsError, match=named):
        load_settings()
