"""The dashboard as it really runs: `python -m bot web` in its own process on a free port,
on the tests' database, reached over HTTP. Each test makes its own coordinators and people."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import requests
from requests.adapters import HTTPAdapter

from bot.settings import PROJECT_ROOT
from tests.support.coordinators import PASSWORD

START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_dashboard(log_path, **settings: str):
    """`python -m bot web` on a free port with these extra settings; returns (process, url)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # The dashboard is reached over plain http here, so it must not think it is behind https
    # (a Secure cookie would never come back), whatever a test that starts it has set.
    environment = {**os.environ, "WEB_PORT": str(port), "DASHBOARD_URL": url, "PUBLIC_BASE_URL": "", **settings}
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "web"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log.close()
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("The dashboard did not start:\n" + log_path.read_text())
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):
                return server, url
        except OSError:
            time.sleep(0.2)
    server.kill()
    pytest.fail("The dashboard was not ready in time.")


def stop_dashboard(server) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="session")
def dashboard_url(migrated_database, tmp_path_factory):
    server, url = start_dashboard(tmp_path_factory.mktemp("dashboard") / "server.log")
    yield url
    stop_dashboard(server)


class FromAddress(HTTPAdapter):
    """Connections made from a chosen local address (any of 127.0.0.0/8 on Linux), so the
    dashboard sees a different client socket, as it would for a coordinator elsewhere."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Browser(requests.Session):
    """A cookie-keeping HTTP client that fills in forms the way a browser would."""

    def __init__(self, base: str, from_address: str | None = None) -> None:
        super().__init__()
        self.base = base
        self.last: requests.Response | None = None
        if from_address:
            self.mount("http://", FromAddress(from_address))

    def get(self, path: str, **kwargs) -> requests.Response:  # type: ignore[override]
        self.last = super().get(self.base + path, allow_redirects=kwargs.pop("allow_redirects", True), **kwargs)
        return self.last

    def post(self, path: str, data=None, **kwargs) -> requests.Response:  # type: ignore[override]
        self.last = super().post(
            self.base + path, data=data, allow_redirects=kwargs.pop("allow_redirects", True), **kwargs
        )
        return self.last

    def csrf(self) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', self.last.text).group(1)

    def sign_in(self, username: str, password: str = PASSWORD) -> requests.Response:
        self.get("/sign-in")
        return self.post("/sign-in", {"csrf_token": self.csrf(), "username": username, "password": password})


@pytest.fixture
def browser(dashboard_url):
    with Browser(dashboard_url) as client:
        yield client
