"""The coordinator's page for one person, rendered from its template: the words read right."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from bot.common.templates import render
from bot.services.coordination.dashboard import PersonPage


def _page(last_viewed_at: datetime | None) -> str:
    person = PersonPage(
        person_id="p1",
        label="J.S.",
        sections=(),
        other_shared=("goals",),
        waiting_since=None,
        waiting=(),
        last_viewed_at=last_viewed_at,
        removed_since=0,
    )
    html = render(
        "person.html",
        signed_in=SimpleNamespace(display_name="Sam", csrf_token="t"),
        person=person,
        carer_messages=[],
        team_messages=[],
        told=None,
    )
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


@pytest.mark.parametrize("last_viewed_at", [None, datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)])
def test_the_printable_summary_link_is_its_own_words_after_a_space(last_viewed_at):
    text = _page(last_viewed_at)
    assert re.search(r"\. Printable summary", text), text
    assert not re.search(r"\.Printable summary", text)
