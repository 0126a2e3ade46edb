"""One worker run in a process of its own, with Twilio pointed at a fake API server (for the
test that kills a worker mid-send). Usage: python -m tests.support.worker_process <base url>"""

from __future__ import annotations

import sys

from bot.services.messaging import dispatch
from bot.services.messaging.email_delivery import email_sender
from bot.services.messaging.sms_delivery import TwilioSender
from bot.settings import get_settings
from tests.support.fake_twilio import LocalTwilioHttpClient

if __name__ == "__main__":
    settings = get_settings()
    senders = dispatch.Senders(
        sms=TwilioSender(settings, http_client=LocalTwilioHttpClient(sys.argv[1])), email=email_sender(settings)
    )
    dispatch.run_once(senders=senders)
