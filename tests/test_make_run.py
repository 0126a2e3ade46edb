"""`make run` end to end: the launcher starts the real servers, they answer over HTTP, and
Ctrl-C leaves no process behind. One start-up serves every check here (it takes ~30 s)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from tests.support import launcher

pytestmark = pytest.mark.slow


def child_pids(parent: int) -> set[int]:
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            children.add(int(stat.parent.name))
    return children


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def post(port: int, body: bytes) -> tuple[int, object]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def say(port: int, sender: str, text: str) -> str:
    status, replies = post(port, json.dumps({"sender": sender, "message": text}).encode())
    assert status == 200
    return "\n".join(reply.get("text", "") for reply in replies)


@pytest.fixture(scope="module")
def running_alongside(tmp_path_factory, trained_model):
    try:
        running = launcher.start(tmp_path_factory.mktemp("run"))
    except RuntimeError as problem:
        pytest.fail(str(problem))
    yield running.launcher, running.port, running.output, running.database
    launcher.stop(running.launcher)


def test_prints_where_to_chat(running_alongside):
    _, rasa_port, output, _ = running_alongside
    assert f"http://localhost:{rasa_port}/webhooks/rest/webhook" in output
    assert f"http://localhost:{rasa_port}/webhooks/webchat/" in output
    assert '-m bot sms "hello" --from +447700900123' in output
    assert os.environ["SMS_SINK_PATH"] in output  # where the texts go without a Twilio account


def test_the_sms_simulator_texts_alongside_and_the_worker_delivers_the_replies(running_alongside):
    _, port, _, database = running_alongside
    environment = {**os.environ, "RASA_PORT": str(port), "DATABASE_URL": f"sqlite:///{database}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "sms", "hello", "--from", "+447700900124"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "You (+447700900124): hello" in result.stdout
    assert "Alongside: Hello, I'm Alongside" in result.stdout and "1 For me" in result.stdout
    crisis = subprocess.run(
        [sys.executable, "-m", "bot", "sms", "STOP I want to kill myself", "--from", "+447700900124"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crisis.returncode == 0 and "116 123" in crisis.stdout


def test_an_unsigned_text_to_the_running_server_is_refused(running_alongside):
    _, port, _, _ = running_alongside
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/twilio/webhook",
        data=b"MessageSid=SM00000000000000000000000000000000&From=%2B447700900125&Body=hi",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403


def test_the_dashboard_runs_and_its_address_is_printed(running_alongside):
    launcher, _, output, _ = running_alongside
    web_port = re.search(r"dashboard: http://localhost:(\d+)/", output).group(1)
    with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/sign-in", timeout=30) as page:
        assert page.status == 200 and "Sign in" in page.read().decode()
        assert "default-src 'none'" in page.headers["Content-Security-Policy"]


def test_hello_gets_the_greeting_over_rest(running_alongside):
    _, port, _, _ = running_alongside
    text = say(port, "make-run-1", "hello")
    assert "I'm Alongside" in text and "for yourself, or for someone you support" in text


def test_what_can_you_do_and_gibberish(running_alongside):
    _, port, _, _ = running_alongside
    assert "wellness and recovery plan" in say(port, "make-run-2", "what can you do?")
    assert "didn't understand" in say(port, "make-run-2", "zxqv plimbo wug")


def test_conversations_are_kept_in_our_database(running_alongside):
    """Rasa falls back to an in-memory store if ours fails to load; this would catch it."""
    import sqlite3

    _, port, _, database = running_alongside
    say(port, "make-run-kept", "hello")
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT count(*) FROM events WHERE sender_id = 'make-run-kept'").fetchone()[0]
    assert rows > 0


def test_crisis_language_gets_the_contacts_over_rest(running_alongside):
    _, port, _, _ = running_alongside
    text = say(port, "make-run-3", "I want to kill myself")
    assert "116 123" in text and "999" in text and "85258" in text


@pytest.mark.parametrize(
    "message",
    ["", "   ", "a" * 10_000, "😀🙂", "مرحبا كيف حالك", "/greet", '/stop{"x":1}'],
    ids=["empty", "spaces", "10k", "emoji", "arabic", "slash-intent", "slash-entities"],
)
def test_bad_input_gets_a_kind_reply_not_an_error(running_alongside, message):
    _, port, _, _ = running_alongside
    assert say(port, "make-run-4", message).strip()


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"message": "hi"}', b'{"sender": 5, "message": "hi"}', b'{"sender": "x"}'],
)
def test_malformed_requests_are_refused_with_a_clear_400(running_alongside, body):
    _, port, _, _ = running_alongside
    status, answer = post(port, body)
    assert status == 400 and answer["error"]


def test_a_plan_export_link_opens_a_printable_page_and_a_forged_one_does_not(running_alongside):
    import re

    _, port, _, _ = running_alongside
    say(port, "make-run-export", "I want to write down my triggers")
    say(port, "make-run-export", "crowds, <script>alert(1)</script>")
    say(port, "make-run-export", "stop")
    text = say(port, "make-run-export", "download my plan")
    token = re.search(r"/webhooks/plan/export/([A-Za-z0-9_.-]+)", text).group(1).rstrip(".")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/webhooks/plan/export/{token}", timeout=30) as page:
        html = page.read().decode()
        assert page.status == 200 and "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "crowds" in html and "<script>alert" not in html
    import sqlite3

    with sqlite3.connect(running_alongside[3]) as connection:  # every export is in the audit log
        exports = connection.execute("SELECT count(*) FROM audit_entries WHERE action = 'data_exported'").fetchone()[0]
    assert exports == 1
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/webhooks/plan/export/{token[:-3]}abc", timeout=30)
    assert refused.value.code == 404


async def test_the_web_chat_answers_over_socketio_and_refuses_intent_injection(running_alongside):
    from tests.support.webchat_client import WebChatClient

    _, port, _, _ = running_alongside
    async with WebChatClient(f"http://127.0.0.1:{port}") as client:
        crisis = await client.say("I want to kill myself")
        assert "116 123" in crisis and "85258" in crisis
        # Rasa's own channel would run the bot_challenge intent ("I'm a computer program...");
        # cleaned, it is just the words "bot_challenge", which Alongside does not understand.
        injected = await client.say("/bot_challenge")
        assert "medical advice" not in injected and "didn't understand" in injected


def test_broken_unicode_with_crisis_language_gets_the_contacts_over_rest(running_alongside):
    _, port, _, _ = running_alongside
    # A lone surrogate, as a JSON escape: half an emoji, which made spaCy raise (no reply at all).
    status, replies = post(port, b'{"sender": "make-run-6", "message": "\\ud83d I want to kill myself"}')
    text = "\n".join(reply.get("text", "") for reply in replies)
    assert status == 200 and "116 123" in text and "999" in text


def action_server_pids(launcher_pid: int) -> list[int]:
    return [
        pid for pid in child_pids(launcher_pid) if b"bot.action_server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def test_with_the_action_server_killed_the_reply_is_kind_and_the_launcher_restarts_it(running_alongside):
    launcher, port, output, _ = running_alongside
    (action_server,) = action_server_pids(launcher.pid)
    launcher.send_signal(signal.SIGSTOP)  # so it cannot restart the action server yet
    try:
        os.killpg(action_server, signal.SIGKILL)
        while alive(action_server):
            time.sleep(0.05)
        reply = say(port, "make-run-7", "hello")  # the guard retries for ~3 s, then gives up kindly
        assert "something went wrong" in reply and "116 123" in reply and "999" in reply
    finally:
        launcher.send_signal(signal.SIGCONT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        time.sleep(1)
        if "I'm Alongside" in say(port, "make-run-7", "hello"):
            break
    else:
        pytest.fail("The action server was not started again.")
    assert action_server_pids(launcher.pid) and action_server_pids(launcher.pid) != [action_server]


def test_ctrl_c_stops_every_process(running_alongside):
    launcher, port, _, _ = running_alongside
    children = child_pids(launcher.pid)
    assert len(children) >= 4  # the action server, the rasa server, the worker and the dashboard
    launcher.send_signal(signal.SIGINT)
    assert launcher.wait(timeout=60) == 0
    time.sleep(0.5)
    assert not [pid for pid in children if alive(pid)]
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
