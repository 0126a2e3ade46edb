"""The action server is closed to everyone but our rasa server: no key, no action; errors never
echo the conversation back; it listens on localhost only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from bot.action_server import KEY_HEADER
from bot.settings import PROJECT_ROOT, get_settings
from tests.support.launcher import free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def action_server():
    # --port wins over ACTION_PORT (the launcher and the bench pass --port).
    port = free_port()
    environment = {**os.environ, "ACTION_PORT": str(free_port())}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.action_server", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stderr.read())
            time.sleep(0.3)
    yield port, process
    process.terminate()
    process.wait(timeout=20)


def call(port: int, path: str, body: bytes | None, key: str | None) -> tuple[int, str]:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers[KEY_HEADER] = key
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def action_call(text: str) -> bytes:
    return json.dumps(
        {
            "next_action": "action_greet",
            "sender_id": "x",
            "version": "3.6.2",
            "tracker": {
                "sender_id": "x",
                "slots": {},
                "latest_message": {"text": text},
                "events": [],
                "paused": False,
                "followup_action": None,
                "active_loop": {},
                "latest_action_name": None,
            },
            "domain": {},
        }
    ).encode()


def test_health_is_open(action_server):
    port, _ = action_server
    assert call(port, "/health", None, None)[0] == 200


@pytest.mark.parametrize("key", [None, "", "wrong-key"])
def test_calls_without_the_key_are_refused(action_server, key):
    port, _ = action_server
    status, body = call(port, "/webhook", action_call("hello"), key)
    assert status == 403 and "hello" not in body
    assert call(port, "/actions", None, key)[0] == 403


def test_errors_do_not_echo_the_conversation(action_server):
    port, _ = action_server
    marker = "my-secret-worry-about-tablets"
    broken = json.dumps({"next_action": "no_such_action", "tracker": {"latest_message": {"text": marker}}}).encode()
    status, body = call(port, "/webhook", broken, get_settings().action_server_secret)
    assert status >= 400 and marker not in body


def test_listens_on_localhost_only(action_server):
    port, process = action_server
    listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout
    if not listening.strip():
        pytest.skip("ss is not available to list listening sockets")
    local_addresses = {line.split()[3].rsplit(":", 1)[0] for line in listening.splitlines()}
    assert local_addresses == {"127.0.0.1"}


def test_the_launcher_passes_the_port():
    from bot.launcher import action_server as action_server_process

    settings = get_settings()
    argv = action_server_process(settings).argv
    assert argv[argv.index("--port") + 1] == str(settings.action_port)
