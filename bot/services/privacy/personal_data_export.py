"""The readable page of everything held about a person (the JSON is personal_data.as_json)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from bot.common.content_files import read_content
from bot.common.templates import render
from bot.services.privacy.personal_data import PersonalData
from bot.settings import PROJECT_ROOT

CONTENT_PATH = PROJECT_ROOT / "content" / "personal_data.yml"


@lru_cache(maxsize=1)
def personal_data_content() -> dict:
    return read_content(CONTENT_PATH)


def personal_data_html(data: PersonalData, generated_at: datetime, json_url: str) -> str:
    content = personal_data_content()
    return render(
        "my_data.html",
        text={key: " ".join(str(value).split()) for key, value in content.items() if isinstance(value, str)},
        titles=content.get("record_titles") or {},
        records=data.tables,
        conversation=data.conversation,
        generated_at=generated_at.strftime("%d %B %Y, %H:%M UTC"),
        json_url=json_url,
    )
