"""A local HTTP server posing as api.twilio.com, for the Messages resource only (create, list).

Only the network edge is fake: the twilio library's own Client, resources, serialisation and
requests-based HTTP client all run; `LocalTwilioHttpClient` just points them at this server.
Tests can make the next creates fail (`fail_next(500)`, `fail_next((400, 21610))`), accept a
text and still answer 500 or hang up (`fail_next(ACCEPT_THEN_500, ACCEPT_THEN_HANG_UP)`), or
hold a create after recording it and never answer (a worker killed while Twilio had already
accepted the text).
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from collections import deque
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from twilio.http.http_client import TwilioHttpClient

ACCOUNT_SID = "AC" + "a1" * 16
AUTH_TOKEN = "fake-auth-token-for-tests"
TWILIO_NUMBER = "+447700900000"
REAL_API = "https://api.twilio.com"
ACCEPT_THEN_500 = "accept-then-500"
ACCEPT_THEN_HANG_UP = "accept-then-hang-up"


class LocalTwilioHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, sending to the fake server instead of api.twilio.com."""

    def __init__(self, base_url: str, timeout: float = 15) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        return super().request(method, url.replace(REAL_API, self.base_url, 1), *args, **kwargs)


class FakeTwilio:
    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.failures: deque = deque()
        self.list_failures: deque[int] = deque()
        self.hold_creates_to: str | None = None
        self.held = threading.Event()  # set when a held create has been recorded
        self._release = threading.Event()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- test controls ---------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def http_client(self) -> LocalTwilioHttpClient:
        return LocalTwilioHttpClient(self.base_url)

    def fail_next(self, *failures) -> None:
        self.failures.extend(failures)

    def sent_to(self, number: str) -> list[dict]:
        with self.lock:
            return [message for message in self.messages if message["to"] == number]

    def __enter__(self) -> FakeTwilio:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    # -- the API ---------------------------------------------------------------------------

    def _create(self, form: dict[str, str]) -> tuple[int, dict, str | None]:
        with self.lock:
            failure = self.failures.popleft() if self.failures else None
            if failure is not None and failure not in (ACCEPT_THEN_500, ACCEPT_THEN_HANG_UP):
                status, code = failure if isinstance(failure, tuple) else (failure, 20500 if failure >= 500 else 21211)
                return (
                    status,
                    {
                        "code": code,
                        "message": "Fake failure",
                        "more_info": "https://www.twilio.com/docs/errors",
                        "status": status,
                    },
                    None,
                )
            now = datetime.now(timezone.utc)
            message = {
                "sid": "SM" + uuid.uuid4().hex,
                "account_sid": ACCOUNT_SID,
                "to": form.get("To"),
                "from": form.get("From"),
                "body": form.get("Body"),
                "status": "queued",
                "status_callback": form.get("StatusCallback"),
                "direction": "outbound-api",
                "date_created": format_datetime(now),
                "date_updated": format_datetime(now),
                "date_sent": format_datetime(now),
                "num_segments": "1",
                "num_media": "0",
                "api_version": "2010-04-01",
                "price": None,
                "price_unit": "GBP",
                "error_code": None,
                "error_message": None,
                "messaging_service_sid": None,
                "subresource_uris": {},
                "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json",
                "_sent_at": now,
            }
            self.messages.append(message)
            if self.hold_creates_to is not None and message["to"] == self.hold_creates_to:
                return 201, _public(message), "hold"
        if failure == ACCEPT_THEN_500:
            return 500, {"code": 20500, "message": "Fake failure", "status": 500}, None
        if failure == ACCEPT_THEN_HANG_UP:
            return 201, {}, "hang-up"
        return 201, _public(message), None

    def _list(self, query: dict[str, str]) -> tuple[int, dict]:
        with self.lock:
            if self.list_failures:
                status = self.list_failures.popleft()
                return status, {"code": 20500, "message": "Fake failure", "status": status}
            since = query.get("DateSent>")
            since_at = datetime.fromisoformat(since.replace("Z", "+00:00")) if since else None
            found = [
                _public(message)
                for message in reversed(self.messages)
                if (not query.get("To") or message["to"] == query["To"])
                and (not query.get("From") or message["from"] == query["From"])
                and (since_at is None or message["_sent_at"] >= since_at)
            ]
        uri = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
        return 200, {
            "messages": found,
            "page": 0,
            "page_size": 50,
            "start": 0,
            "end": max(len(found) - 1, 0),
            "uri": uri,
            "first_page_uri": uri,
            "next_page_uri": None,
            "previous_page_uri": None,
        }

    def _handler(self):
        fake = self
        expected_auth = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _answer(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _authorised(self, path: str) -> bool:
                if self.headers.get("Authorization") != expected_auth:
                    self._answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
                    return False
                if path != f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json":
                    self._answer(404, {"code": 20404, "message": "Not found", "status": 404})
                    return False
                return True

            def do_POST(self) -> None:
                path = urlsplit(self.path).path
                length = int(self.headers.get("Content-Length") or 0)
                form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
                if not self._authorised(path):
                    return
                status, payload, odd = fake._create(form)
                if odd == "hold":
                    fake.held.set()
                    fake._release.wait(120)  # the worker is killed meanwhile; nobody reads this
                    return
                if odd == "hang-up":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self._answer(status, payload)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if not self._authorised(parts.path):
                    return
                query = {key: values[0] for key, values in parse_qs(parts.query).items()}
                self._answer(*fake._list(query))

        return Handler


def _public(message: dict) -> dict:
    return {key: value for key, value in message.items() if not key.startswith("_")}
