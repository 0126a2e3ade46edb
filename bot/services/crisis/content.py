"""Crisis contacts and replies, read from content/crisis.yml.

The texts are rendered once, at build time, into plain Rasa responses (see bot/build.py), so a
crisis reply never waits on the action server or the database.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT, Settings

CRISIS_CONTENT_PATH = PROJECT_ROOT / "content" / "crisis.yml"
MESSAGE_KEYS = (
    "for_self", "for_someone_else", "contacts_on_request", "not_what_i_meant", "not_what_i_meant_hint", "turn_failed",
)
MESSAGES_WITH_CONTACTS = ("for_self", "for_someone_else", "contacts_on_request", "not_what_i_meant", "turn_failed")


@dataclass(frozen=True)
class CrisisContact:
    id: str
    line: str
    source: str


@dataclass(frozen=True)
class CrisisContent:
    contacts: tuple[CrisisContact, ...]
    messages: dict[str, str]

    def render(self, message_key: str) -> str:
        contacts = "\n".join(contact.line for contact in self.contacts)
        return self.messages[message_key].format(contacts=contacts)


def _problem(path: Path, entry: str, problem: str) -> ValueError:
    return ValueError(f"{path}: {entry}: {problem}")


def _local_line(data: dict, settings: Settings, path: Path) -> CrisisContact | None:
    if not settings.local_crisis_line_number:
        return None
    template = data.get("local_line_template")
    if not isinstance(template, str) or "{number}" not in template:
        raise _problem(path, "local_line_template", "must be text containing {number}")
    line = template.format(
        name=settings.local_crisis_line_name or "your local crisis team",
        number=settings.local_crisis_line_number,
    )
    return CrisisContact("local", line, settings.local_crisis_line_source)


def load_crisis_content(settings: Settings, path: Path = CRISIS_CONTENT_PATH) -> CrisisContent:
    """Read and check the crisis file. Raises ValueError naming the file, entry and problem."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise _problem(path, "file", "must be a mapping with contacts and messages")
    contacts = []
    for index, entry in enumerate(data.get("contacts") or []):
        name = f"contacts[{index}]"
        for field in ("id", "line", "source"):
            if not isinstance(entry, dict) or not str(entry.get(field, "")).strip():
                raise _problem(path, name, f"needs a non-empty '{field}'")
        contacts.append(CrisisContact(entry["id"], entry["line"].strip(), entry["source"].strip()))
    if not any(contact.id == "emergency" for contact in contacts):
        raise _problem(path, "contacts", "must include the 'emergency' (999) contact")
    local = _local_line(data, settings, path)
    if local is not None:
        contacts.insert(1, local)  # after 999, before the national lines
    messages = data.get("messages") or {}
    for key in MESSAGE_KEYS:
        text = messages.get(key)
        if not isinstance(text, str) or not text.strip():
            raise _problem(path, f"messages.{key}", "is missing or empty")
    for key in MESSAGES_WITH_CONTACTS:
        if "{contacts}" not in messages[key]:
            raise _problem(path, f"messages.{key}", "must contain {contacts}")
    return CrisisContent(tuple(contacts), {key: messages[key].strip() for key in MESSAGE_KEYS})
