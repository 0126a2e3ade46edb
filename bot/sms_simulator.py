"""`python -m bot sms "hello" --from +447700900123`: text the running Alongside as Twilio would.

It posts one inbound text to the running rasa server's SMS webhook, signed with the twilio
library's RequestValidator exactly as Twilio signs (with the development token when Twilio is
not configured; see bot/services/sms/twilio_signing.py), waits for the worker to deliver the
replies, and prints the ones that reached the local SMS sink. With a real Twilio account set
up it refuses: the replies would be real texts to that number.
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import or_, select

from bot.services.messaging.reach import contact_for_number
from bot.services.messaging.sms_delivery import read_sink
from bot.services.sms.phone_numbers import is_e164
from bot.services.sms.turns import Outcome, reply_key, reply_key_prefix
from bot.services.sms.twilio_signing import signature_for, signed_url
from bot.settings import PROJECT_ROOT, Settings
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage, OutboxStatus

WEBHOOK_PATH = "/webhooks/twilio/webhook"
DEFAULT_FROM = "+447700900123"  # Ofcom's range for drama: never a real person's number
SIMULATED_ACCOUNT = "AC" + "0" * 32
_SETTLED = (OutboxStatus.sent, OutboxStatus.failed, OutboxStatus.cancelled, OutboxStatus.unknown)


def python_command() -> str:
    """How to run this project's Python, as a person would type it from the project folder."""
    try:
        return str(Path(sys.executable).relative_to(PROJECT_ROOT))
    except ValueError:
        return sys.executable


def usage() -> str:
    return f'{python_command()} -m bot sms "hello" --from {DEFAULT_FROM}'


def main(settings: Settings, argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot sms", description="Text the running Alongside.")
    parser.add_argument("text", help="what the text says")
    parser.add_argument("--from", dest="number", default=DEFAULT_FROM, help="the number it comes from (+44...)")
    parser.add_argument("--wait", type=float, default=30.0, help="seconds to wait for the replies")
    options = parser.parse_args(argv)
    if settings.twilio_configured:
        print(
            "Twilio is set up, so the replies would be real texts to that number. The simulator only "
            "works without TWILIO_* settings (replies then go to the local SMS sink).",
            file=sys.stderr,
        )
        return 2
    if not is_e164(options.number):
        print("--from must be a phone number in international form, like +447700900123.", file=sys.stderr)
        return 2
    message_sid = "SM" + uuid.uuid4().hex
    status = _post(settings, message_sid, options.number, options.text)
    if status != 200:
        return 1
    print(f"You ({options.number}): {options.text}")
    replies, settled = _wait_for_replies(settings, message_sid, options.wait)
    if not replies and settled:
        print(no_reply_note(settings, options.number))
    for body in replies:
        print(f"Alongside: {body}")
    if not settled:
        print(
            f"(Still waiting for replies after {options.wait:g} s. Is the worker running? `make run` starts it.)",
            file=sys.stderr,
        )
        return 1
    return 0


def no_reply_note(settings: Settings, number: str) -> str:
    """Why a text got no reply, as far as the database can tell. The STOP note only when this
    number really has opted out; otherwise the one other rule that sends nothing back is the
    rate limit (bot/services/sms/turns.py), whose counts live in the rasa server, not here."""
    with unit_of_work() as session:
        contact = contact_for_number(session, number)
        opted_out = contact is not None and contact.opted_out_at is not None
    if opted_out:
        return "(No reply: this number has sent STOP, so nothing is sent to it until it sends START.)"
    return (
        "(No reply. This number has not opted out, so it is most likely over the rate limit: "
        f"after {settings.chat_rate_limit_messages} texts in {settings.chat_rate_limit_window_seconds:g} seconds "
        'it gets one "please slow down" text, then nothing until that time has passed.)'
    )


def _post(settings: Settings, message_sid: str, number: str, text: str) -> int:
    local_base = f"http://localhost:{settings.rasa_port}"
    params = {
        "MessageSid": message_sid,
        "SmsSid": message_sid,
        "AccountSid": SIMULATED_ACCOUNT,
        "From": number,
        "To": settings.twilio_number or "+447700900000",
        "Body": text,
        "NumMedia": "0",
        "NumSegments": "1",
        "ApiVersion": "2010-04-01",
    }
    url = signed_url(settings, WEBHOOK_PATH, "", local_base)
    signature = signature_for(settings, url, {name: [value] for name, value in params.items()})
    request = urllib.request.Request(
        f"{local_base}{WEBHOOK_PATH}",
        data=urllib.parse.urlencode(params).encode(),
        headers={"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        print(f"Alongside refused the text ({error.code}): {error.read().decode(errors='replace')}", file=sys.stderr)
        return error.code
    except (urllib.error.URLError, OSError):
        print(f"Alongside is not answering on {local_base}. Start it with `make run` first.", file=sys.stderr)
        return 0


def _reply_prefixes(message_sid: str) -> tuple[str, ...]:
    """The idempotency key prefixes of the texts sent back to one inbound text: its replies, and
    the apology when the turn failed on our side (keyed apart, bot/services/sms/turns.py)."""
    return (reply_key_prefix(message_sid), reply_key(message_sid, 0, Outcome.apology).removesuffix("0"))


def _wait_for_replies(settings: Settings, message_sid: str, wait_s: float) -> tuple[list[str], bool]:
    """The replies to this text that reached the sink, once the worker has settled them all."""
    prefixes = _reply_prefixes(message_sid)
    deadline = time.monotonic() + wait_s
    while True:
        with unit_of_work() as session:
            states = session.execute(
                select(OutboxMessage.idempotency_key, OutboxMessage.status).where(
                    or_(*(OutboxMessage.idempotency_key.startswith(prefix) for prefix in prefixes))
                )
            ).all()
        settled = all(state in _SETTLED for _, state in states)
        if settled or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    records = [
        record for record in read_sink(settings.sms_sink_path) if str(record.get("key", "")).startswith(prefixes)
    ]
    records.sort(key=lambda record: (record["key"].rsplit(":", 1)[0], int(record["key"].rsplit(":", 1)[1])))
    return [record["body"] for record in records], settled
