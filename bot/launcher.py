"""Start every Alongside process, say where to chat, and stop them all on Ctrl-C.

Each process is one line in `processes()`. The launcher starts them in order, waits until each
answers its readiness URL, and on Ctrl-C stops every process group it started, so nothing is
left behind. A process that crashes is started again after a back-off (1 s, then doubling up to
30 s; logged on stderr); one that crashes RESTART_LIMIT times within RESTART_WINDOW_S stops
everything, because something is wrong that restarting will not mend.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot.settings import PROJECT_ROOT, Settings

READY_TIMEOUT_S = 180
STOP_TIMEOUT_S = 10
FIRST_RESTART_DELAY_S = 1.0
MAX_RESTART_DELAY_S = 30.0
RESTART_LIMIT = 5
RESTART_WINDOW_S = 300.0


class RestartBackoff:
    """When to start a crashed process again, or None to give up: the wait doubles with each
    crash in the window, and too many crashes in the window mean giving up."""

    def __init__(self) -> None:
        self._crashes: list[float] = []

    def next_delay(self, now: float) -> float | None:
        self._crashes = [at for at in self._crashes if now - at < RESTART_WINDOW_S] + [now]
        if len(self._crashes) > RESTART_LIMIT:
            return None
        return min(MAX_RESTART_DELAY_S, FIRST_RESTART_DELAY_S * 2 ** (len(self._crashes) - 1))


@dataclass(frozen=True)
class Process:
    name: str
    argv: list[str]
    ready_url: str | None = None


def action_server(settings: Settings) -> Process:
    return Process(
        "action server",
        [sys.executable, "-m", "bot.action_server", "--port", str(settings.action_port)],
        f"http://localhost:{settings.action_port}/health",
    )


def rasa_server(settings: Settings, model: Path) -> Process:
    return Process(
        "rasa server",
        [
            sys.executable,
            "-m",
            "bot.rasa_server",
            "run",
            "--model",
            str(model),
            "--endpoints",
            "endpoints.yml",
            "--credentials",
            "credentials.yml",
            "--interface",
            "127.0.0.1",
            "--port",
            str(settings.rasa_port),
        ],
        f"http://localhost:{settings.rasa_port}/",
    )


def worker(settings: Settings) -> Process:
    """Delivers the outbox. It serves no HTTP, so it has no readiness URL: it is started and
    watched like the others, and the launcher does not wait for it."""
    return Process("worker", [sys.executable, "-m", "bot", "worker"])


def web_app(settings: Settings) -> Process:
    return Process(
        "dashboard",
        [sys.executable, "-m", "bot", "web"],
        f"http://127.0.0.1:{settings.web_port}/health",
    )


def processes(settings: Settings, model: Path) -> list[Process]:
    """Everything `make run` starts, in start order. Add a process here in one line."""
    return [
        action_server(settings),
        rasa_server(settings, model),
        worker(settings),
        web_app(settings),
    ]


def child_environment(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "ACTION_SERVER_URL": settings.action_server_url,
        "ACTION_SERVER_SECRET": settings.action_server_secret,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONUNBUFFERED": "1",
    }


def _wait_until_ready(process: Process, child: subprocess.Popen) -> None:
    if not process.ready_url:
        return
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"The {process.name} stopped while starting (exit code {child.returncode}).")
        try:
            with urllib.request.urlopen(process.ready_url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise RuntimeError(f"The {process.name} was not ready after {READY_TIMEOUT_S} s.")


def _stop_all(children: list[subprocess.Popen]) -> None:
    for child in reversed(children):
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for child in reversed(children):
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def _start(process: Process, environment: dict[str, str]) -> subprocess.Popen:
    print(f"Starting the {process.name}...", flush=True)
    # Its own process group, so stopping it also stops anything it started.
    return subprocess.Popen(process.argv, cwd=PROJECT_ROOT, env=environment, start_new_session=True)


def where_to_chat(settings: Settings) -> str:
    from bot.sms_simulator import usage
    from bot.worker import destinations

    url = f"http://localhost:{settings.rasa_port}/webhooks/rest/webhook"
    texts, emails = destinations(settings)
    if settings.twilio_configured:
        base = settings.public_base_url or "PUBLIC_BASE_URL"
        sms = (
            f"  Text {settings.twilio_number}: Twilio calls {base}/webhooks/twilio/webhook\n"
            f"    Texts go {texts}; emails go {emails}.\n"
        )
    else:
        sms = (
            f"  Text it as Twilio would (SMS simulator):  {usage()}\n"
            f"    No Twilio account is set up: texts go {texts}, emails {emails}.\n"
        )
    return (
        "\nAlongside is running.\n"
        f"  Web chat:        open http://localhost:{settings.rasa_port}/webhooks/webchat/ in your browser\n"
        f'  Chat over HTTP:  curl -s {url} -d \'{{"sender":"me","message":"hello"}}\'\n'
        f"{sms}"
        "  Chat in a terminal: make shell (in another window, after stopping this one)\n"
        f"  Care coordinators' dashboard: http://localhost:{settings.web_port}/ "
        "(accounts: python -m bot admin --help)\n"
        "Press Ctrl-C to stop everything.\n"
    )


def _print_where_to_chat(settings: Settings) -> None:
    print(where_to_chat(settings), flush=True)


def _watch(wanted: list[Process], children: list[subprocess.Popen], environment: dict[str, str]) -> int:
    """Restart whatever crashes, with a back-off, until Ctrl-C; 1 if a process keeps crashing."""
    backoffs = [RestartBackoff() for _ in wanted]
    restart_at: dict[int, float] = {}
    while True:
        time.sleep(0.5)
        now = time.monotonic()
        for index, (process, child) in enumerate(zip(wanted, children, strict=True)):
            if index in restart_at:
                if now >= restart_at[index]:
                    del restart_at[index]
                    print(f"Restarting the {process.name}.", file=sys.stderr, flush=True)
                    children[index] = _start(process, environment)
                continue
            if child.poll() is None:
                continue
            delay = backoffs[index].next_delay(now)
            if delay is None:
                print(
                    f"The {process.name} keeps stopping (exit code {child.returncode}); stopping everything else.",
                    file=sys.stderr,
                    flush=True,
                )
                return 1
            print(
                f"The {process.name} stopped unexpectedly (exit code {child.returncode}); "
                f"starting it again in {delay:g} s.",
                file=sys.stderr,
                flush=True,
            )
            restart_at[index] = now + delay


def _stop_requested(*_: object) -> None:
    raise KeyboardInterrupt


def run(settings: Settings, model: Path, shell: bool = False) -> int:
    """Start the processes; in shell mode, chat in this terminal instead of serving HTTP."""
    environment = child_environment(settings)
    wanted = [action_server(settings)] if shell else processes(settings, model)
    children: list[subprocess.Popen] = []
    # Ctrl-C, kill, or the terminal closing. SIGINT is set too, because a launcher started in
    # the background by a shell inherits "ignore Ctrl-C" and would otherwise never stop on it.
    for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _stop_requested)
    try:
        for process in wanted:
            children.append(_start(process, environment))
            if process.ready_url:
                _wait_until_ready(process, children[-1])
        if shell:
            command = [
                sys.executable,
                "-m",
                "rasa",
                "shell",
                "--model",
                str(model),
                "--endpoints",
                "endpoints.yml",
                "--interface",
                "127.0.0.1",
                "--port",
                str(settings.rasa_port),
            ]
            return subprocess.run(command, cwd=PROJECT_ROOT, env=environment).returncode
        _print_where_to_chat(settings)
        return _watch(wanted, children, environment)
    except KeyboardInterrupt:
        print("\nStopping Alongside...", flush=True)
        return 0
    except RuntimeError as problem:
        print(f"Alongside could not start: {problem}", file=sys.stderr)
        return 1
    finally:
        _stop_all(children)
