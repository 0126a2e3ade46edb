"""Start the real `python -m bot run` (every process) for tests over the network,
and stop it the way a person would (SIGTERM, so it stops its children)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bot.settings import PROJECT_ROOT

START_TIMEOUT_S = 240


@dataclass
class RunningAlongside:
    launcher: subprocess.Popen
    port: int
    output: str
    database: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(directory: Path, **settings: str) -> RunningAlongside:
    """Start Alongside on free ports with its own database; raise with its output if it fails.
    `settings` are more environment variables for every process (DATABASE_URL=... to use
    another database)."""
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    database = directory / "alongside.db"
    environment = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "WEB_PORT": str(web_port),  # the dashboard; never the default 8000 another run may hold
        "ACTION_SERVER_URL": "",
        "DATABASE_URL": f"sqlite:///{database}",
        **settings,
    }
    launcher = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        line = launcher.stdout.readline()
        if not line and launcher.poll() is not None:
            break
        output.append(line)
        if "Press Ctrl-C" in line:
            break
    if launcher.poll() is not None or "Press Ctrl-C" not in "".join(output):
        stop(launcher)
        raise RuntimeError("make run did not start:\n" + "".join(output[-60:]))
    # Keep reading what the servers print, so a full pipe never blocks them.
    threading.Thread(target=lambda: [None for _ in launcher.stdout], daemon=True).start()
    return RunningAlongside(launcher, rasa_port, "".join(output), database)


def stop(launcher: subprocess.Popen) -> None:
    """Stop the launcher the way a person would, so it stops its children; kill only if stuck."""
    if launcher.poll() is None:
        launcher.send_signal(signal.SIGTERM)
        try:
            launcher.wait(timeout=60)
        except subprocess.TimeoutExpired:
            launcher.kill()
