"""Crisis contacts and replies, read from content/crisis.yml.

The texts are rendered once, at build time, into plain Rasa responses (see bot/build.py), so a
crisis reply never waits on the action server or the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.common.content_files import read_content
from bot.settings import PROJECT_ROOT, Settings

CRISIS_CONTENT_PATH = PROJECT_ROOT / "content" / "crisis.yml"
MESSAGE_KEYS = (
    "for_self",
    "for_someone_else",
    "for_being_harmed",
    "contacts_on_request",
    "not_what_i_meant",
    "not_what_i_meant_hint",
    "turn_failed",
    "possible_for_self",
    "possible_for_someone_else",
)
MESSAGES_WITH_CONTACTS = (
    "for_self",
    "for_someone_else",
    "for_being_harmed",
    "contacts_on_request",
    "not_what_i_meant",
    "turn_failed",
    "possible_for_self",
    "possible_for_someone_else",
)


@dataclass(frozen=True)
class CrisisContact:
    id: str
    line: str
    source: str


@dataclass(frozen=True)
class CrisisContent:
    contacts: tuple[CrisisContact, ...]
    messages: dict[str, str]
    harm_contacts: tuple[CrisisContact, ...] = ()

    def render(self, message_key: str) -> str:
        contacts = "\n".join(contact.line for contact in self.contacts)
        harm_contacts = "\n".join(contact.line for contact in self.harm_contacts)
        return self.messages[message_key].format(contacts=contacts, harm_contacts=harm_contacts)


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


def _contacts(data: dict, key: str, path: Path) -> list[CrisisContact]:
    """A list of contacts, each with an id, a line and its source."""
    contacts = []
    for index, entry in enumerate(data.get(key) or []):
        name = f"{key}[{index}]"
        for field in ("id", "line", "source"):
            if not isinstance(entry, dict) or not str(entry.get(field, "")).strip():
                raise _problem(path, name, f"needs a non-empty '{field}'")
        contacts.append(CrisisContact(entry["id"], entry["line"].strip(), entry["source"].strip()))
    return contacts


def load_crisis_content(settings: Settings, path: Path = CRISIS_CONTENT_PATH) -> CrisisContent:
    """Read and check the crisis file. Raises ValueError naming the file, entry and problem."""
    data = read_content(path)
    if not isinstance(data, dict):
        raise _problem(path, "file", "must be a mapping with contacts and messages")
    contacts = _contacts(data, "contacts", path)
    harm_contacts = _contacts(data, "being_harmed_contacts", path)
    if (
        "{harm_contacts}" not in (data.get("messages") or {}).get("for_being_harmed", "{harm_contacts}")
        or not harm_contacts
    ):
        raise _problem(
            path, "being_harmed_contacts", "needs at least one contact, used as {harm_contacts} in for_being_harmed"
        )
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
    return CrisisContent(tuple(contacts), {key: messages[key].strip() for key in MESSAGE_KEYS}, tuple(harm_contacts))
