"""The one place that reads the environment.

Every setting comes from the process environment or `.env` (python-dotenv), has a safe
default for local use, and is checked once: a missing or malformed value stops start-up with
a message that names the setting, instead of a confusing failure later.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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
    # How long a browser keeps its web chat conversation (the signed cookie), in days.
    webchat_session_days: int = 30
    # How long a code that links SMS and web chat lasts, and wrong tries allowed per hour.
    link_code_minutes: int = 15
    link_code_tries_per_hour: int = 5

    @property
    def twilio_configured(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_number)

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


def _whole_number(name: str, default: int, low: int, high: int) -> int:
    raw = _text(name, str(default))
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise SettingsError(f"{name} must be a whole number from {low} to {high}, not {raw!r}.")
    return int(raw)


def _path(name: str, default: Path) -> Path:
    raw = _text(name)
    path = Path(raw) if raw else default
    return path if path.is_absolute() else PROJECT_ROOT / path


def _database_url() -> str:
    raw = _text("DATABASE_URL")
    if not raw:
        return f"sqlite:///{VAR_DIR / 'alongside.db'}"
    if not raw.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg2://")):
        raise SettingsError(
            "DATABASE_URL must start with sqlite:/// or postgresql:// "
            "(for example sqlite:///var/alongside.db)."
        )
    if raw.startswith("sqlite:///") and not raw.startswith("sqlite:////"):
        # A relative SQLite path is taken from the project root, whatever the working directory.
        raw = f"sqlite:///{PROJECT_ROOT / raw[len('sqlite:///'):]}"
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


def _twilio() -> tuple[str, str, str]:
    names = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER")
    values = tuple(_text(name) for name in names)
    if any(values) and not all(values):
        missing = ", ".join(name for name, value in zip(names, values) if not value)
        raise SettingsError(f"Twilio is partly configured: also set {missing}, or unset all three.")
    return values  # type: ignore[return-value]


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


def load_settings() -> Settings:
    """Read and check every setting. Raises SettingsError naming the first bad one."""
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    environment = _text("ALONGSIDE_ENV", "development")
    if environment not in ("development", "test", "production"):
        raise SettingsError("ALONGSIDE_ENV must be development, test or production.")
    action_port = _port("ACTION_PORT", 5055)
    sid, token, number = _twilio()
    crisis_name, crisis_number, crisis_source = _local_crisis_line()
    return Settings(
        environment=environment,
        database_url=_database_url(),
        secret_key=_secret_key(environment),
        rasa_port=_port("RASA_PORT", 5005),
        action_port=action_port,
        action_server_url=_text("ACTION_SERVER_URL", f"http://localhost:{action_port}/webhook"),
        spacy_model_path=SPACY_PIPELINE_PATH,
        model_dir=_path("MODEL_DIR", PROJECT_ROOT / "models"),
        sms_sink_path=_path("SMS_SINK_PATH", VAR_DIR / "sms-sink.jsonl"),
        local_crisis_line_name=crisis_name,
        local_crisis_line_number=crisis_number,
        local_crisis_line_source=crisis_source,
        twilio_account_sid=sid,
        twilio_auth_token=token,
        twilio_number=number,
        public_base_url=_text("PUBLIC_BASE_URL").rstrip("/"),
        webchat_session_days=_whole_number("WEBCHAT_SESSION_DAYS", 30, 1, 365),
        link_code_minutes=_whole_number("LINK_CODE_MINUTES", 15, 1, 60),
        link_code_tries_per_hour=_whole_number("LINK_CODE_TRIES_PER_HOUR", 5, 1, 100),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for this process, read once. Tests call `get_settings.cache_clear()` after
    changing the environment."""
    return load_settings()


def public_base_url() -> str:
    """Where people reach the rasa server: PUBLIC_BASE_URL, or localhost for local use."""
    settings = get_settings()
    return settings.public_base_url or f"http://localhost:{settings.rasa_port}"
