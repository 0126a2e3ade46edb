"""Fault injection (`make chaos`, and part of `make test`): the real `python -m bot run` on its own
PostgreSQL database, and in turn the action server, the worker and the database are taken away
in the middle of a conversation. Each time: the crisis contacts still reach the person, nothing
they said is lost, and the conversation carries on once the part is back.

- the action server is killed while the launcher is paused (so it cannot restart it yet): the
  answer given meanwhile gets the kind reply; then the launcher restarts it and the same answer
  is saved;
- the worker is killed: a crisis text is still sent at once by the webhook, an ordinary reply
  waits in the outbox and goes when the launcher has restarted the worker;
- the database refuses connections: crisis language still gets the contacts, then the
  database comes back and the plan holds every answer.
"""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support import launcher
from tests.test_make_run import alive, child_pids, say

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("ALONGSIDE_SKIP_POSTGRES") == "1", reason="PostgreSQL skipped by setting"),
]

POSTGRES_SERVER_URL = os.environ.get("ALONGSIDE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
CONTACTS = ("999", "116 123", "85258")


@pytest.fixture(scope="module")
def database():
    name = f"alongside_chaos_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_SERVER_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin, name, POSTGRES_SERVER_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def running(tmp_path_factory, trained_model, database):
    _, _, url = database
    directory = tmp_path_factory.mktemp("chaos")
    sink = directory / "sms-sink.jsonl"
    try:
        started = launcher.start(directory, DATABASE_URL=url, SMS_SINK_PATH=str(sink), WORKER_POLL_SECONDS="0.5")
    except RuntimeError as problem:
        pytest.fail(str(problem))
    yield started, sink
    launcher.stop(started.launcher)


def process(launcher_pid: int, module: str) -> int:
    wanted = module.replace(" ", "\0").encode()  # /proc/PID/cmdline separates arguments with NUL
    (pid,) = [child for child in child_pids(launcher_pid) if wanted in Path(f"/proc/{child}/cmdline").read_bytes()]
    return pid


def kill(pid: int) -> None:
    os.killpg(pid, signal.SIGKILL)
    while alive(pid):
        time.sleep(0.05)


def wait_for(check, seconds: float = 90, what: str = "it") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    pytest.fail(f"Waited {seconds} s for {what}.")


def sink_bodies(sink: Path, number: str) -> list[str]:
    if not sink.exists():
        return []
    return [entry["body"] for entry in map(json.loads, sink.read_text().splitlines()) if entry.get("to") == number]


def text_alongside(port: int, number: str, body: str) -> None:
    from bot.services.sms.twilio_signing import signature_for, signed_url
    from bot.settings import get_settings

    path = "/webhooks/twilio/webhook"
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "From": number, "To": "+447700900000", "Body": body}
    url = signed_url(get_settings(), path, "", f"http://127.0.0.1:{port}")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=urllib.parse.urlencode(params).encode(),
        headers={
            "X-Twilio-Signature": signature_for(get_settings(), url, {k: [v] for k, v in params.items()}),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert answer.status == 200


def test_the_action_server_killed_mid_form(running):
    started, _ = running
    port, pid = started.port, started.launcher.pid
    assert "I'm Alongside" in say(port, "chaos-1", "hello")
    say(port, "chaos-1", "I want to write down my triggers")
    assert "crowds" in say(port, "chaos-1", "crowds")
    action_server = process(pid, "bot.action_server")
    started.launcher.send_signal(signal.SIGSTOP)
    try:
        kill(action_server)
        reply = say(port, "chaos-1", "loud noise")
        assert "something went wrong" in reply and all(contact in reply for contact in CONTACTS)
        crisis = say(port, "chaos-1", "I want to kill myself")
        assert all(contact in crisis for contact in CONTACTS)
    finally:
        started.launcher.send_signal(signal.SIGCONT)
    wait_for(lambda: "something went wrong" not in say(port, "chaos-1x", "hello"), what="the action server")
    say(port, "chaos-1", "that's not what I meant")  # back to the plan after the crisis reply
    say(port, "chaos-1", "carry on with my plan")
    say(port, "chaos-1", "loud noise")
    say(port, "chaos-1", "done")
    shown = say(port, "chaos-1", "show my triggers")
    assert "crowds" in shown and "loud noise" in shown


def test_the_worker_killed(running):
    started, sink = running
    port, pid = started.port, started.launcher.pid
    number = "+447700900871"
    started.launcher.send_signal(signal.SIGSTOP)
    try:
        kill(process(pid, "bot worker"))
        text_alongside(port, number, "I want to end my life")
        assert any("116 123" in body for body in sink_bodies(sink, number))  # sent by the webhook itself
        text_alongside(port, number, "what is a WRAP?")
        time.sleep(1.5)
        assert not any("WRAP" in body for body in sink_bodies(sink, number))  # waiting in the outbox
    finally:
        started.launcher.send_signal(signal.SIGCONT)
    wait_for(lambda: any("WRAP" in body for body in sink_bodies(sink, number)), what="the restarted worker")


def test_the_database_down(running, database):
    admin, name, _ = database
    started, _ = running
    port = started.port
    say(port, "chaos-3", "hello")
    say(port, "chaos-3", "I want to write down my triggers")
    say(port, "chaos-3", "payday")
    say(port, "chaos-3", "done")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        connection.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
    try:
        crisis = say(port, "chaos-3", "I want to kill myself")
        assert all(contact in crisis for contact in CONTACTS)
        assert say(port, "chaos-3", "rows with my sister").strip()  # a reply, never an error
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    wait_for(lambda: "payday" in say(port, "chaos-3", "show my triggers"), what="the database")
