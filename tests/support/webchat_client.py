"""A web chat client for tests: gets its cookie from the chat page like a browser, then talks
over Socket.IO (python-socketio's client, HTTP long-polling).

`say` waits for the server's acknowledgement of the message, which it sends only after every
reply of that turn, so no test has to guess how long to wait. Leaving does not wait for the
client's pending long-poll to end (python-socketio's graceful disconnect waits for the next
server ping, about 25 s); the server is told with a CLOSE packet all the same.
"""

from __future__ import annotations

import asyncio
import urllib.request
from typing import Any

import socketio

from bot.services.webchat.sessions import COOKIE_NAME

SOCKET_PATH = "/webhooks/webchat/socket.io"
TURN_TIMEOUT_S = 60


def page_cookie(base_url: str, cookie: str | None = None) -> str:
    """Open the chat page (sending `cookie` if given) and return the cookie value it sets."""
    request = urllib.request.Request(f"{base_url}/webhooks/webchat/")
    if cookie:
        request.add_header("Cookie", f"{COOKIE_NAME}={cookie}")
    with urllib.request.urlopen(request, timeout=30) as page:
        header = page.headers["Set-Cookie"]
    return header.split(";", 1)[0].split("=", 1)[1]


class WebChatClient:
    def __init__(
        self, base_url: str, cookie: str | None = None, headers: dict[str, str] | None = None, auth: Any = None
    ) -> None:
        self.base_url = base_url
        self.cookie = cookie if cookie is not None else page_cookie(base_url)
        self.headers = headers or {}
        self.auth = auth
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: list[tuple[str, Any]] = []  # everything the server sent, in order
        self._bot: asyncio.Queue = asyncio.Queue()
        self._history: asyncio.Queue = asyncio.Queue()
        self.client.on("bot_uttered", lambda data: self._got("bot_uttered", data))
        self.client.on("user_echo", lambda data: self.received.append(("user_echo", data)))
        self.client.on("history", lambda data: self._got("history", data))

    def _got(self, event: str, data: Any) -> None:
        self.received.append((event, data))
        (self._history if event == "history" else self._bot).put_nowait(data)

    async def connect(self, query: str = "") -> None:
        """Connect, or raise socketio.exceptions.ConnectionError if the server refuses."""
        headers = {"Cookie": f"{COOKIE_NAME}={self.cookie}", **self.headers} if self.cookie else dict(self.headers)
        outcome = asyncio.get_running_loop().create_future()

        def settle(result: Any) -> None:
            if not outcome.done():
                outcome.set_result(result)

        self.client.on("connect", lambda: settle(True))
        self.client.on("connect_error", lambda data=None: settle(data or "refused"))
        await self.client.connect(
            self.base_url + query,
            socketio_path=SOCKET_PATH,
            headers=headers,
            auth=self.auth,
            transports=["polling"],
            wait=False,
        )
        result = await asyncio.wait_for(outcome, timeout=TURN_TIMEOUT_S)
        if result is not True:
            await self.close()
            raise socketio.exceptions.ConnectionError(f"refused: {result}")

    async def close(self) -> None:
        engine = self.client.eio
        reader, writer = engine.read_loop_task, engine.write_loop_task
        await engine.disconnect(abort=True)
        if writer is not None:
            await asyncio.wait([writer], timeout=5)  # it sends the CLOSE packet, then ends
        for task in (reader, writer):
            if task is not None and not task.done():
                task.cancel()

    async def __aenter__(self) -> WebChatClient:
        await self.connect()
        return self

    async def __aexit__(self, *_: Any) -> None:
        await self.close()

    def _drain(self) -> list[dict]:
        replies = []
        while not self._bot.empty():
            replies.append(self._bot.get_nowait())
        return replies

    async def send(self, data: Any, event: str = "user_uttered") -> list[dict]:
        """Send anything; the bot's replies to it (all of them: the ack comes after the last)."""
        self._drain()
        await self.client.call(event, data, timeout=TURN_TIMEOUT_S)
        return self._drain()

    async def say(self, text: str) -> str:
        return "\n".join(reply.get("text", "") for reply in await self.send({"message": text}))

    async def history(self) -> list[dict]:
        await self.client.call("history_request", timeout=TURN_TIMEOUT_S)
        return await asyncio.wait_for(self._history.get(), timeout=TURN_TIMEOUT_S)
