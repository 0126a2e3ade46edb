"""The SMS channel served for real: Rasa's own channel registration, a Sanic app with the
trained agent (actions in process), on a local port in the test's event loop, spoken to over
HTTP and signed with the twilio library's RequestValidator."""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from rasa.core.channels.channel import register
from rasa.utils.endpoints import EndpointConfig
from sanic import Sanic
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from bot.channels.sms import TwilioSmsInput
from bot.services.sms.twilio_signing import signing_token
from bot.settings import get_settings
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage

WEBHOOK = "/webhooks/twilio/webhook"
STATUS = "/webhooks/twilio/status"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def refuse_actions(agent: Any, monkeypatch: Any) -> None:
    """Nothing listens where the action server should be: every custom action is refused, as
    when it has crashed."""
    monkeypatch.setattr(
        agent.processor, "action_endpoint", EndpointConfig(url=f"http://127.0.0.1:{free_port()}/webhook")
    )


def messages_for(sid: str) -> list[OutboxMessage]:
    """Every text queued in reply to the inbound message `sid`, in the order they were queued."""
    with unit_of_work() as session:
        found = (
            session.execute(select(OutboxMessage).where(OutboxMessage.idempotency_key.contains(f":{sid}:")))
            .scalars()
            .all()
        )
    return sorted(found, key=lambda message: message.idempotency_key)


def bodies(sid: str) -> str:
    """The replies to the inbound message `sid`, as one text."""
    return "\n".join(message.body for message in messages_for(sid))


def new_sid() -> str:
    return "SM" + uuid.uuid4().hex


@dataclass
class Answer:
    status: int
    text: str
    content_type: str = ""


@dataclass
class SmsServer:
    agent: object
    port: int = field(default_factory=free_port)

    async def __aenter__(self) -> SmsServer:
        Sanic.test_mode = True  # several apps (one per "restart") in one process
        self.app = Sanic(f"sms_test_{uuid.uuid4().hex[:8]}", configure_logging=False)
        self.app.ctx.agent = self.agent
        self.channel = TwilioSmsInput()
        register([self.channel], self.app, route="/webhooks/")
        self.server = await self.app.create_server(
            host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False
        )
        await self.server.startup()
        await self.server.start_serving()
        self.http = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.http.close()
        self.server.close()
        await self.server.wait_closed()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def sign(self, url: str, params: dict[str, str], token: str | None = None) -> str:
        return RequestValidator(token or signing_token(get_settings())).compute_signature(url, params)

    async def post(
        self,
        path: str,
        params: dict[str, str],
        signature: str | None = "sign",
        headers: dict[str, str] | None = None,
        signed_url: str | None = None,
    ) -> Answer:
        """POST form parameters; signed for `signed_url` (default: the URL posted to) unless
        a signature (or None, for none) is given."""
        url = f"{self.base}{path}"
        all_headers = dict(headers or {})
        if signature == "sign":
            signature = self.sign(signed_url or url, params)
        if signature is not None:
            all_headers["X-Twilio-Signature"] = signature
        async with self.http.post(url, data=params, headers=all_headers) as answer:
            return Answer(answer.status, await answer.text(), answer.headers.get("Content-Type", ""))

    async def text(self, number: str, body: str, sid: str | None = None, **kwargs) -> tuple[str, Answer]:
        """A text from `number`, signed as Twilio signs it. Returns its MessageSid and the answer."""
        sid = sid or new_sid()
        params = {
            "MessageSid": sid,
            "SmsSid": sid,
            "AccountSid": "AC" + "0" * 32,
            "From": number,
            "To": "+447700900000",
            "Body": body,
            "NumMedia": "0",
            "NumSegments": "1",
            "ApiVersion": "2010-04-01",
        }
        return sid, await self.post(WEBHOOK, params, **kwargs)
