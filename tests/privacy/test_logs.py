"""No personal data in logs: at the level Alongside runs (INFO), nothing a person says reaches a
log line or the console, including words that trigger the crisis reply and plan answers."""

from __future__ import annotations

import logging
import uuid

import pytest
import structlog


@pytest.fixture
def info_logging(caplog):
    caplog.set_level(logging.INFO)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    yield caplog
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


async def test_conversation_text_never_reaches_the_logs(conversation, info_logging, capsys):
    marker = f"quokka{uuid.uuid4().hex[:8]}"
    for text in (
        f"hello I'm {marker}",
        "I want to make a wellness plan",
        f"{marker} reading in the garden",
        f"I want to end it all {marker}",
        f'/greet{{"name": "{marker}"}}',
        f"zxqv {marker} plimbo",
    ):
        await conversation.say(text)
    captured = capsys.readouterr()
    logged = "\n".join(record.getMessage() for record in info_logging.records)
    assert marker not in logged
    assert marker not in captured.out and marker not in captured.err
    assert conversation.sender_id not in logged
