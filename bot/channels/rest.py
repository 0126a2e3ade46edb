"""The REST channel for local tools and tests, hardened.

Rasa's own RestInput lets a client choose its input channel, answers a non-JSON body with a
500, passes "/intent" text straight to the dialogue and logs message text on errors. This one
refuses malformed requests with a clear 400, cleans the text like every other channel, and
never logs what people wrote. Still unauthenticated: keep it on localhost.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels.crisis_check import turn_failed_text
from bot.language.inbound_text import clean_inbound_text
from bot.rasa_patches.action_guard import ActionServerUnavailable

logger = logging.getLogger(__name__)

MAX_SENDER_LENGTH = 128


class SafeRestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint("alongside_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request):
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            try:
                body = request.json
            except Exception:  # sanic raises on a body that is not JSON
                body = None
            if not isinstance(body, dict):
                return response.json({"error": "Send a JSON object with 'sender' and 'message'."}, status=400)
            sender = body.get("sender")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_LENGTH:
                return response.json(
                    {"error": f"'sender' must be text of 1 to {MAX_SENDER_LENGTH} characters."}, status=400
                )
            if not isinstance(body.get("message"), str):
                return response.json({"error": "'message' must be text."}, status=400)
            collector = CollectingOutputChannel()
            message = UserMessage(
                clean_inbound_text(body["message"]), collector, sender.strip(), input_channel=self.name()
            )
            try:
                await on_new_message(message)
            except (Exception, ActionServerUnavailable):
                logger.exception("A REST message could not be handled (text not logged).")
                collector.messages.append({"recipient_id": message.sender_id, "text": turn_failed_text()})
            return response.json(collector.messages)

        return webhook
