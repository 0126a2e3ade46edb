"""Sending one text: through Twilio's REST API when Twilio is configured, otherwise to a local
sink file (SMS_SINK_PATH, one JSON object a line) so `make run` works with no account.

Both do two things: `send()` one message, and `find_sent()`, which asks whether a message was
already accepted (after a worker stopped mid-send, or before retrying), so a retry never
texts someone twice. Blocking calls: the worker runs these, never the event loop.

The sink is for local development only: it holds numbers and message text in clear. In
production without Twilio, texts are refused ("sms-not-configured") rather than written there.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.common.clock import utc_now
from bot.services.messaging.delivery import LookupFailed, NotSent, Outgoing, Refused, Uncertain, as_utc
from bot.settings import Settings

# The twilio library logs query strings (numbers) at INFO: keep its request log quiet.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)

STATUS_CALLBACK_PATH = "/webhooks/twilio/status"
REQUEST_TIMEOUT_S = 15
OPTED_OUT_CODE = 21610  # "Attempt to send to unsubscribed recipient"
LOOKUP_MARGIN = timedelta(minutes=2)  # clocks differ; Twilio's DateSent is its own


class SmsSender(Protocol):
    def send(self, sms: Outgoing) -> str:
        """Hand the text over; returns the provider's message id. Raises a DeliveryError."""

    def find_sent(self, sms: Outgoing, since: datetime) -> list[str]:
        """Ids of messages with this recipient and body accepted since then. Raises LookupFailed."""


class TwilioSender:
    def __init__(self, settings: Settings, http_client: HttpClient | None = None) -> None:
        self.client = Client(
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            http_client=http_client or TwilioHttpClient(timeout=REQUEST_TIMEOUT_S),
        )
        self.from_number = settings.twilio_number
        self.status_callback = settings.public_base_url + STATUS_CALLBACK_PATH if settings.public_base_url else None

    def send(self, sms: Outgoing) -> str:
        extra = {"status_callback": self.status_callback} if self.status_callback else {}
        try:
            return self.client.messages.create(to=sms.to, from_=self.from_number, body=sms.body, **extra).sid
        except TwilioRestException as error:
            code = f"twilio-{error.status}-{error.code or 0}"
            if error.status == 429 or error.status >= 500:
                raise NotSent(code) from None
            raise Refused(code, opted_out=error.code == OPTED_OUT_CODE) from None
        except requests.exceptions.ConnectionError as error:
            if _never_connected(error):
                raise NotSent(f"connect-{type(error).__name__}") from None
            raise Uncertain(f"connection-{type(error).__name__}") from None
        except (requests.exceptions.RequestException, TwilioException) as error:
            raise Uncertain(type(error).__name__) from None

    def find_sent(self, sms: Outgoing, since: datetime) -> list[str]:
        try:
            found = self.client.messages.list(
                to=sms.to, from_=self.from_number, date_sent_after=as_utc(since) - LOOKUP_MARGIN, limit=100
            )
        except (requests.exceptions.RequestException, TwilioException) as error:
            raise LookupFailed(type(error).__name__) from None
        return [message.sid for message in found if (message.body or "") == sms.body]


def _never_connected(error: requests.exceptions.ConnectionError) -> bool:
    """True when the request cannot have reached Twilio (refused, DNS, connect timeout)."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return type(reason).__name__ in ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError")


class SinkSender:
    """Appends each text to a local file instead of sending it (development only)."""

    def __init__(self, path: Path, from_number: str = "Alongside") -> None:
        self.path = path
        self.from_number = from_number

    def send(self, sms: Outgoing) -> str:
        sid = "SM" + uuid.uuid4().hex
        record = {
            "sid": sid,
            "key": sms.key,
            "to": sms.to,
            "from": self.from_number,
            "body": sms.body,
            "at": utc_now().isoformat(),
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as sink:
                sink.write(json.dumps(record) + "\n")
        except OSError as error:
            raise NotSent(f"sink-{type(error).__name__}") from None
        return sid

    def find_sent(self, sms: Outgoing, since: datetime) -> list[str]:
        return [record["sid"] for record in read_sink(self.path) if record.get("key") == sms.key]


class UnconfiguredSender:
    """Production without Twilio: nothing can be texted, and nothing is written to disk."""

    def send(self, sms: Outgoing) -> str:
        raise Refused("sms-not-configured")

    def find_sent(self, sms: Outgoing, since: datetime) -> list[str]:
        return []


def read_sink(path: Path) -> list[dict]:
    """Every record in a sink file (SMS or email), oldest first; a torn last line is skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    return records


def sms_sender(settings: Settings, http_client: HttpClient | None = None) -> SmsSender:
    if settings.twilio_configured:
        return TwilioSender(settings, http_client)
    if settings.environment == "production":
        return UnconfiguredSender()
    return SinkSender(settings.sms_sink_path)
