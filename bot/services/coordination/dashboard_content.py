"""The words around the coordinators' dashboard, from content/dashboard.yml.

Checked when loaded: every text present, plain-SMS characters, at most one SMS for what goes
by text (a reply to a carer: room left for the reply in two), only known placeholders (and the
ones a text must have), and a name for every WRAP section in content/wrap.yml.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.common.content_files import read_content
from bot.common.sms_text import gsm7_length, gsm7_problem
from bot.services.wrap.content import load_wrap_content
from bot.settings import PROJECT_ROOT, dashboard_url

DASHBOARD_CONTENT_PATH = PROJECT_ROOT / "content" / "dashboard.yml"
MAX_SMS_CHARS = 320
TEXT_PLACEHOLDERS = {
    "acknowledged": {"coordinator", "categories"},
    "team_message_read": {"coordinator", "sent"},
    "team_message_subject": set(),
    "team_message_body": set(),
    "reminder_sms": set(),
    "reminder_email_subject": set(),
    "reminder_email_body": {"url"},
    "email_link": {"url"},
    "carer_reply": {"coordinator", "reply"},
}
SMS_TEXTS = {"acknowledged", "reminder_sms", "team_message_read", "team_message_body"}
# Texts that must hold these placeholders (a reply that left out the coordinator's words would
# send the carer nothing of them).
REQUIRED_PLACEHOLDERS = {"carer_reply": {"coordinator", "reply"}, "team_message_read": {"coordinator", "sent"}}
# The words around a reply to a carer must leave most of two texts for the reply itself.
CARER_REPLY_WORDS_MAX = 160


@dataclass(frozen=True)
class DashboardContent:
    category_names: Mapping[str, str]
    texts: Mapping[str, str]

    def category_name(self, category: str) -> str:
        return self.category_names.get(category, category.replace("_", " "))

    def categories_phrase(self, categories: Iterable[str]) -> str:
        """ "triggers and early warning signs", in the order given."""
        names = [self.category_name(category) for category in categories]
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]

    def text(self, text_id: str, **values: str) -> str:
        return self.texts[text_id].format(**values)


def with_dashboard_link(body: str, path: str) -> str:
    """A notification email's body and the link to the dashboard page it is about (DASHBOARD_URL
    and a path such as /people/<random id>: nothing about anyone's health)."""
    return f"{body}\n\n" + load_dashboard_content().text("email_link", url=dashboard_url() + path)


@lru_cache(maxsize=1)
def load_dashboard_content(path: Path = DASHBOARD_CONTENT_PATH) -> DashboardContent:
    """Read and check the file. ValueError names the file, the entry and the problem."""
    data = read_content(path)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected category_names and texts")
    names = data.get("category_names") or {}
    texts = {key: " ".join(str(value).split()) for key, value in (data.get("texts") or {}).items()}
    for section in load_wrap_content().sections:
        if not str(names.get(section.id, "")).strip():
            raise ValueError(f"{path}: category_names: give a name for the WRAP section {section.id!r}")
    for key, name in names.items():
        if gsm7_problem(str(name)):
            raise ValueError(f"{path}: category_names.{key}: {gsm7_problem(str(name))}")
    for text_id, allowed in TEXT_PLACEHOLDERS.items():
        text = texts.get(text_id, "")
        entry = f"{path}: texts.{text_id}"
        if not text:
            raise ValueError(f"{entry}: missing")
        used = {field for _, field, _, _ in string.Formatter().parse(text) if field}
        if used - allowed:
            raise ValueError(f"{entry}: unknown placeholder {{{sorted(used - allowed)[0]}}}")
        missing = REQUIRED_PLACEHOLDERS.get(text_id, set()) - used
        if missing:
            raise ValueError(f"{entry}: needs the placeholder {{{sorted(missing)[0]}}}")
        if gsm7_problem(text):
            raise ValueError(f"{entry}: {gsm7_problem(text)}")
        if text_id in SMS_TEXTS and gsm7_length(text) > MAX_SMS_CHARS - 100:
            raise ValueError(f"{entry}: too long for one text message once filled in")
        if text_id == "carer_reply" and gsm7_length(text.replace("{reply}", "")) > CARER_REPLY_WORDS_MAX:
            raise ValueError(
                f"{entry}: leaves too little room for the reply (at most {CARER_REPLY_WORDS_MAX} characters)"
            )
    return DashboardContent({str(k): " ".join(str(v).split()) for k, v in names.items()}, texts)
