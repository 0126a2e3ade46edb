"""The one place that reads the environment.

Every setting comes from the process environment or `.env` (python-dotenv), has a safe
default for local use, and is checked once: a missing or malformed value stops start-up with
a message that names the setting, instead of a confusing failure later.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"
# Fixed, because config.yml names it too (SpacyNLP loads it by this relative path).
SPACY_PIPELINE_PATH = VAR_DIR / "spacy" / "en_alongside"

# Used only when no secret is configured, so `make run` works on a fresh clone. Start-up refuses
# it whenever ALONGSIDE_ENV=production.
_DEVELOPMENT_SECRET = "development-only-secret-change-me"


class SettingsError(RuntimeError):
    """A setting is missing or malformed; the message names it and says what is expected."""


@dataclass(frozen=True)
class Settings:
    environment: str
    database_url: str
    secret_key: str
    rasa_port: int
    action_port: int
    action_server_url: str
    action_host: str
    action_server_secret: str
    spacy_model_path: Path
    model_dir: Path
    sms_sink_path: Path
    local_crisis_line_name: str
    local_crisis_line_number: str
    local_crisis_line_source: str
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_number: str
    public_base_url: str
    encryption_keys: tuple[str, ...]
    conversation_retention_days: int
    smtp_host: str
    smtp_port: int
    smtp_username: str
    smtp_password: str
    smtp_from: str
    smtp_starttls: bool
    email_sink_path: Path
    worker_poll_seconds: float
    # How long a choice to share (or not) stands before the person is asked again.
    consent_review_months: int = 6
    # The coordinators' dashboard (bot/web/) and its rules; see docs/dashboard.md.
    web_port: int = 8000
    # The dashboard listens on this interface: localhost unless a container needs 0.0.0.0.
    web_host: str = "127.0.0.1"
    # Sign-in throttling (bot/services/staff/sign_in_attempts.py): failures counted per client address
    # and per (username, address) over the last SIGN_IN_LOCKOUT_MINUTES; over either limit, that
    # address is refused until its failures are that old. The owner elsewhere still gets in.
    sign_in_max_failures: int = 5
    sign_in_max_failures_per_address: int = 20
    sign_in_lockout_minutes: int = 15
    # How many proxies in front of the dashboard add X-Forwarded-For (0: trust none and use the
    # socket's address; 1: behind Caddy in deploy/compose.yml). Never more than really exist,
    # or a client can choose its own address.
    trusted_proxy_count: int = 0
    web_session_idle_minutes: int = 30
    reminder_working_days: int = 2
    enrolment_code_days: int = 7
    enrolment_max_attempts: int = 5
    dashboard_public_url: str = ""
    # Goals, check-ins and noticing "stuck" (bot/services/recovery/checkins.py, bot/services/recovery/stuck.py).
    stuck_checkins: int = 3
    stuck_days: int = 56
    checkin_timezone: str = "Europe/London"
    checkin_quiet_start: time = time(21, 0)
    checkin_quiet_end: time = time(9, 0)
    checkin_default_time: time = time(10, 0)
    # How long a browser keeps its web chat conversation (the signed cookie), in days.
    webchat_session_days: int = 30
    # How long a code that links SMS and web chat lasts, and wrong tries allowed per hour.
    link_code_minutes: int = 15
    link_code_tries_per_hour: int = 5
    # Wrong code tries (bot/services/people/code_tries.py): per carer per hour, per web chat client
    # address per hour (all kinds of code), and per kind across everyone, far above one source's.
    carer_code_tries_per_hour: int = 5
    code_tries_per_source_per_hour: int = 30
    code_tries_overall_per_hour: int = 2000
    # Per-sender limit on SMS and web chat messages (bot/services/messaging/rate_limits.py). Crisis
    # messages always get through.
    chat_rate_limit_messages: int = 20
    chat_rate_limit_window_seconds: int = 60
    # Scale-out (docs/deployment.md): a Redis lock store orders each conversation's messages
    # across rasa servers. Empty (the default): one rasa server, locks kept in its memory.
    redis_url: str = ""
    redis_key_prefix: str = "alongside"
    # Sanic workers per rasa server (Rasa reads SANIC_WORKERS itself); more than 1 needs Redis.
    sanic_workers: int = 1

    @property
    def twilio_configured(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_number)

    @property
    def smtp_configured(self) -> bool:
        return bool(self.smtp_host)

    @property
    def uses_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _text(name: str, default: str = "") -> str:
    """The setting's value, or the default when it is unset or left empty (as in .env.example)."""
    return os.environ.get(name, "").strip() or default


def _port(name: str, default: int) -> int:
    raw = _text(name, str(default))
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(f"{name} must be a port number between 1 and 65535, not {raw!r}.")
    return int(raw)


def _code_tries_overall() -> int:
    """The cap across everyone must stay out of one source's reach, or it is a lock-out button."""
    overall = _whole_number("CODE_TRIES_OVERALL_PER_HOUR", 2000, 1, 1_000_000)
    per_source = _whole_number("CODE_TRIES_PER_SOURCE_PER_HOUR", 30, 1, 1000)
    if overall < 10 * per_source:
        raise SettingsError(
            f"CODE_TRIES_OVERALL_PER_HOUR ({overall}) must be at least 10 times "
            f"CODE_TRIES_PER_SOURCE_PER_HOUR ({per_source}), so one place cannot lock everyone out."
        )
    return overall


def _whole_number(name: str, default: int, low: int = 1, high: int | None = None) -> int:
    """A whole number from `low` (to `high`, when given)."""
    raw = _text(name, str(default))
    if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        expected = f"from {low} to {high}" if high is not None else f"of at least {low}"
        raise SettingsError(f"{name} must be a whole number {expected}, not {raw!r}.")
    return int(raw)


def _flag(name: str, default: bool) -> bool:
    raw = _text(name, "true" if default else "false").lower()
    if raw not in ("true", "false", "1", "0", "yes", "no"):
        raise SettingsError(f"{name} must be true or false, not {raw!r}.")
    return raw in ("true", "1", "yes")


def _seconds(name: str, default: float) -> float:
    raw = _text(name, str(default))
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0.1 <= value <= 3600:
        raise SettingsError(f"{name} must be a number of seconds between 0.1 and 3600, not {raw!r}.")
    return value


def _path(name: str, default: Path) -> Path:
    raw = _text(name)
    path = Path(raw) if raw else default
    return path if path.is_absolute() else PROJECT_ROOT / path


def _clock_time(name: str, default: str) -> time:
    raw = _text(name, default)
    hours, _, minutes = raw.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and int(hours) < 24 and int(minutes) < 60):
        raise SettingsError(f"{name} must be a 24-hour time like 21:00, not {raw!r}.")
    return time(int(hours), int(minutes))


def _time_zone(name: str, default: str) -> str:
    raw = _text(name, default)
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"{name} must be a time zone name like Europe/London, not {raw!r}.") from None
    return raw


def _database_url() -> str:
    raw = _text("DATABASE_URL")
    if not raw:
        return f"sqlite:///{VAR_DIR / 'alongside.db'}"
    if not raw.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg2://")):
        raise SettingsError(
            "DATABASE_URL must start with sqlite:/// or postgresql:// (for example sqlite:///var/alongside.db)."
        )
    if raw.startswith("sqlite:///") and not raw.startswith("sqlite:////"):
        # A relative SQLite path is taken from the project root, whatever the working directory.
        raw = f"sqlite:///{PROJECT_ROOT / raw[len('sqlite:///') :]}"
    return raw


def _secret_key(environment: str) -> str:
    raw = _text("SECRET_KEY")
    if not raw:
        if environment == "production":
            raise SettingsError("SECRET_KEY must be set in production (32 or more random characters).")
        return _DEVELOPMENT_SECRET
    if len(raw) < 32:
        raise SettingsError("SECRET_KEY must be at least 32 characters long.")
    return raw


def _encryption_keys(environment: str, secret_key: str) -> tuple[str, ...]:
    """Fernet keys, newest first. In development one is derived from SECRET_KEY so a fresh
    clone works; production must set its own (see docs/privacy.md for rotation)."""
    raw = [part.strip() for part in _text("ENCRYPTION_KEYS").split(",") if part.strip()]
    if not raw:
        if environment == "production":
            raise SettingsError(
                "ENCRYPTION_KEYS must be set in production (one or more Fernet keys, comma-separated, newest first)."
            )
        digest = hashlib.sha256(f"alongside-encryption\x00{secret_key}".encode()).digest()
        return (base64.urlsafe_b64encode(digest).decode(),)
    for index, key in enumerate(raw, start=1):
        try:
            if len(base64.urlsafe_b64decode(key.encode())) != 32:
                raise ValueError
        except (ValueError, binascii.Error):
            raise SettingsError(
                f"ENCRYPTION_KEYS key number {index} is not a Fernet key (44 characters of url-safe "
                "base64). Generate one: python -m bot keys new"
            ) from None
    return tuple(raw)


def _derived_secret(secret_key: str, purpose: str) -> str:
    """A secret for one purpose, derived from SECRET_KEY, so one setting is enough locally."""
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def _twilio() -> tuple[str, str, str]:
    names = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER")
    values = tuple(_text(name) for name in names)
    if any(values) and not all(values):
        missing = ", ".join(name for name, value in zip(names, values, strict=True) if not value)
        raise SettingsError(f"Twilio is partly configured: also set {missing}, or unset all three.")
    return values  # type: ignore[return-value]


def _public_base_url(environment: str, twilio_configured: bool) -> str:
    raw = _text("PUBLIC_BASE_URL").rstrip("/")
    if raw and not raw.startswith(("https://", "http://")):
        raise SettingsError("PUBLIC_BASE_URL must start with https:// (for example https://alongside.example.org).")
    if environment == "production" and twilio_configured and not raw.startswith("https://"):
        raise SettingsError(
            "PUBLIC_BASE_URL must be set to the https address Twilio calls when Twilio is configured in "
            "production: Twilio's signatures are checked against it."
        )
    return raw


def _smtp(environment: str) -> tuple[str, int, str, str, str, bool]:
    host = _text("SMTP_HOST")
    username, password, sender = _text("SMTP_USERNAME"), _text("SMTP_PASSWORD"), _text("SMTP_FROM")
    if host and not sender:
        raise SettingsError("SMTP_FROM must be set when SMTP_HOST is (the address emails come from).")
    if bool(username) != bool(password):
        raise SettingsError("SMTP_USERNAME and SMTP_PASSWORD must be set together (or neither).")
    return host, _port("SMTP_PORT", 587), username, password, sender, _flag("SMTP_STARTTLS", True)


def _local_crisis_line() -> tuple[str, str, str]:
    name, number, source = (_text(f"LOCAL_CRISIS_LINE_{part}") for part in ("NAME", "NUMBER", "SOURCE"))
    if number and not source:
        raise SettingsError(
            "LOCAL_CRISIS_LINE_SOURCE must say where LOCAL_CRISIS_LINE_NUMBER comes from "
            "(for example the trust's web page), so it can be checked."
        )
    if (name or source) and not number:
        raise SettingsError("LOCAL_CRISIS_LINE_NUMBER must be set when LOCAL_CRISIS_LINE_NAME or _SOURCE is.")
    return name, number, source


def _consent_review_months() -> int:
    raw = _text("CONSENT_REVIEW_MONTHS", "6")
    if not raw.isdigit() or not 1 <= int(raw) <= 36:
        raise SettingsError(f"CONSENT_REVIEW_MONTHS must be a whole number of months from 1 to 36, not {raw!r}.")
    return int(raw)


def _redis_url() -> str:
    raw = _text("REDIS_URL")
    if raw and not raw.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(
            "REDIS_URL must start with redis://, rediss:// or unix:// (for example redis://127.0.0.1:6379/1)."
        )
    return raw


def _redis_key_prefix() -> str:
    raw = _text("REDIS_KEY_PREFIX", "alongside")
    if not raw.replace("_", "").replace("-", "").isalnum():
        raise SettingsError(f"REDIS_KEY_PREFIX must be letters, digits, - or _, not {raw!r}.")
    return raw


def _sanic_workers(redis_url: str) -> int:
    workers = _whole_number("SANIC_WORKERS", 1, 1, 64)
    if workers > 1 and not redis_url:
        raise SettingsError(
            "SANIC_WORKERS above 1 needs REDIS_URL: each worker is its own process, and only the Redis "
            "lock store keeps one conversation's messages in order across them (docs/deployment.md)."
        )
    return workers


def load_settings() -> Settings:
    """Read and check every setting. Raises SettingsError naming the first bad one."""
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    environment = _text("ALONGSIDE_ENV", "development")
    if environment not in ("development", "test", "production"):
        raise SettingsError("ALONGSIDE_ENV must be development, test or production.")
    action_port = _port("ACTION_PORT", 5055)
    sid, token, number = _twilio()
    crisis_name, crisis_number, crisis_source = _local_crisis_line()
    secret_key = _secret_key(environment)
    smtp_host, smtp_port, smtp_username, smtp_password, smtp_from, smtp_starttls = _smtp(environment)
    return Settings(
        environment=environment,
        database_url=_database_url(),
        secret_key=secret_key,
        rasa_port=_port("RASA_PORT", 5005),
        action_port=action_port,
        action_server_url=_text("ACTION_SERVER_URL", f"http://localhost:{action_port}/webhook"),
        action_host=_text("ACTION_HOST", "127.0.0.1"),
        action_server_secret=_text("ACTION_SERVER_SECRET") or _derived_secret(secret_key, "action-server"),
        spacy_model_path=SPACY_PIPELINE_PATH,
        model_dir=_path("MODEL_DIR", PROJECT_ROOT / "models"),
        sms_sink_path=_path("SMS_SINK_PATH", VAR_DIR / "sms-sink.jsonl"),
        local_crisis_line_name=crisis_name,
        local_crisis_line_number=crisis_number,
        local_crisis_line_source=crisis_source,
        twilio_account_sid=sid,
        twilio_auth_token=token,
        twilio_number=number,
        public_base_url=_public_base_url(environment, bool(sid)),
        encryption_keys=_encryption_keys(environment, secret_key),
        conversation_retention_days=_whole_number("CONVERSATION_RETENTION_DAYS", 180),
        smtp_host=smtp_host,
        smtp_port=smtp_port,
        smtp_username=smtp_username,
        smtp_password=smtp_password,
        smtp_from=smtp_from,
        smtp_starttls=smtp_starttls,
        email_sink_path=_path("EMAIL_SINK_PATH", VAR_DIR / "email-sink.jsonl"),
        worker_poll_seconds=_seconds("WORKER_POLL_SECONDS", 1.0),
        consent_review_months=_consent_review_months(),
        web_port=_port("WEB_PORT", 8000),
        web_host=_text("WEB_HOST", "127.0.0.1"),
        sign_in_max_failures=_whole_number("SIGN_IN_MAX_FAILURES", 5, high=100),
        sign_in_max_failures_per_address=_whole_number("SIGN_IN_MAX_FAILURES_PER_ADDRESS", 20, high=1000),
        sign_in_lockout_minutes=_whole_number("SIGN_IN_LOCKOUT_MINUTES", 15, high=24 * 60),
        trusted_proxy_count=_whole_number("TRUSTED_PROXY_COUNT", 0, low=0, high=5),
        web_session_idle_minutes=_whole_number("WEB_SESSION_IDLE_MINUTES", 30, low=5, high=12 * 60),
        reminder_working_days=_whole_number("REMINDER_WORKING_DAYS", 2, high=30),
        enrolment_code_days=_whole_number("ENROLMENT_CODE_DAYS", 7, high=90),
        enrolment_max_attempts=_whole_number("ENROLMENT_MAX_ATTEMPTS", 5, high=100),
        dashboard_public_url=_text("DASHBOARD_URL").rstrip("/"),
        stuck_checkins=_whole_number("STUCK_CHECKINS", 3),
        stuck_days=_whole_number("STUCK_DAYS", 56),
        checkin_timezone=_time_zone("CHECKIN_TIMEZONE", "Europe/London"),
        checkin_quiet_start=_clock_time("CHECKIN_QUIET_START", "21:00"),
        checkin_quiet_end=_clock_time("CHECKIN_QUIET_END", "09:00"),
        checkin_default_time=_clock_time("CHECKIN_DEFAULT_TIME", "10:00"),
        webchat_session_days=_whole_number("WEBCHAT_SESSION_DAYS", 30, 1, 365),
        link_code_minutes=_whole_number("LINK_CODE_MINUTES", 15, 1, 60),
        link_code_tries_per_hour=_whole_number("LINK_CODE_TRIES_PER_HOUR", 5, 1, 100),
        carer_code_tries_per_hour=_whole_number("CARER_CODE_TRIES_PER_HOUR", 5, 1, 100),
        code_tries_per_source_per_hour=_whole_number("CODE_TRIES_PER_SOURCE_PER_HOUR", 30, 1, 1000),
        code_tries_overall_per_hour=_code_tries_overall(),
        chat_rate_limit_messages=_whole_number("CHAT_RATE_LIMIT_MESSAGES", 20, 1, 10_000),
        chat_rate_limit_window_seconds=_whole_number("CHAT_RATE_LIMIT_WINDOW_SECONDS", 60, 1, 3600),
        redis_url=_redis_url(),
        redis_key_prefix=_redis_key_prefix(),
        sanic_workers=_sanic_workers(_redis_url()),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for this process, read once. Tests call `get_settings.cache_clear()` after
    changing the environment."""
    return load_settings()


def dashboard_url() -> str:
    """Where coordinators open the dashboard: DASHBOARD_URL, or localhost for local use."""
    settings = get_settings()
    return settings.dashboard_public_url or f"http://localhost:{settings.web_port}"


def public_base_url() -> str:
    """Where people reach the rasa server: PUBLIC_BASE_URL, or localhost for local use."""
    settings = get_settings()
    return settings.public_base_url or f"http://localhost:{settings.rasa_port}"
