"""The SMS simulator (`python -m bot sms`) says what really happened when a text gets no reply
(issue 22.15): the STOP note only after STOP, never after a rate-limit reply, and the apology
when a turn fails on our side is shown as the reply it is. Real parts: the
simulator's own main() posts, signed, over HTTP to the real SMS channel with the trained agent;
the real outbox delivery (the worker's run_once) puts the replies in the local SMS sink."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import threading

import pytest

from bot import sms_simulator
from bot.services.messaging import dispatch
from bot.services.sms.content import load_sms_content
from bot.settings import get_settings
from tests.support.sms import SmsServer, refuse_actions

pytestmark = pytest.mark.slow

_numbers = itertools.count(1)
STOP_NOTE = "until it sends START"


@pytest.fixture
def number(migrated_database) -> str:
    return f"+4477009{60000 + next(_numbers):05d}"


@pytest.fixture
async def server(agent):
    async with SmsServer(agent) as running:
        yield running


@pytest.fixture
def worker():
    """The worker's outbox delivery, run every 0.1 s in a thread while the test runs."""
    stopping = threading.Event()

    def deliver() -> None:
        while not stopping.is_set():
            dispatch.run_once()
            stopping.wait(0.1)

    thread = threading.Thread(target=deliver, daemon=True)
    thread.start()
    yield
    stopping.set()
    thread.join(timeout=10)


@pytest.fixture
def settings(server, monkeypatch):
    """The simulator pointed at the test server; a limit of 2 texts a minute for the channel."""
    changed = dataclasses.replace(
        get_settings(), rasa_port=server.port, chat_rate_limit_messages=2, chat_rate_limit_window_seconds=60
    )
    monkeypatch.setattr("bot.channels.sms.get_settings", lambda: changed)
    return changed


async def simulate(settings, number: str, text: str, capsys) -> str:
    capsys.readouterr()
    code = await asyncio.to_thread(sms_simulator.main, settings, [text, "--from", number, "--wait", "20"])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


async def test_over_the_rate_limit_it_says_so_and_not_that_stop_was_sent(settings, worker, number, capsys):
    for _ in range(2):
        assert "Alongside: Hello" in await simulate(settings, number, "hello", capsys)
    slowed = await simulate(settings, number, "hello", capsys)
    assert f"Alongside: {load_sms_content().text('slow_down')}" in slowed
    quiet = await simulate(settings, number, "hello", capsys)
    assert "Alongside:" not in quiet and "(No reply." in quiet
    assert "STOP nothing is sent" not in quiet and STOP_NOTE not in quiet  # no STOP was sent
    assert "rate limit" in quiet and "2 texts in 60 seconds" in quiet and "slow down" in quiet


async def test_after_stop_it_says_nothing_is_sent_until_start(settings, worker, number, capsys):
    stopped = await simulate(settings, number, "STOP", capsys)
    assert "Alongside:" not in stopped and "sent STOP" in stopped and STOP_NOTE in stopped
    after = await simulate(settings, number, "hello", capsys)
    assert "Alongside:" not in after and STOP_NOTE in after and "rate limit" not in after
    started = await simulate(settings, number, "START", capsys)
    assert f"Alongside: {load_sms_content().text('opted_in')}" in started


async def test_when_the_turn_fails_on_our_side_the_apology_is_shown(
    agent, settings, worker, number, capsys, monkeypatch
):
    """The apology is keyed apart from the replies (bot/services/sms/turns.py); it is what the
    person gets, so the simulator prints it rather than "No reply"."""
    refuse_actions(agent, monkeypatch)  # nothing listens where the action server should be
    out = await simulate(settings, number, "I want to write down my triggers", capsys)
    assert f"Alongside: {load_sms_content().text('something_went_wrong')}" in out
    assert "(No reply" not in out
