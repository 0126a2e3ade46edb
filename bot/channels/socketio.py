"""Rasa's Socket.IO channel with our inbound cleaning.

Rasa's channel hands text starting with "/" to the dialogue as an intent, skipping NLU and so
the crisis detector. Wrapping the callback it is given cleans every message the same way as
the other channels (bot/services/inbound_text.py). Session persistence stays off: with it on,
a client could join any conversation whose id it knew; the web chat work replaces this
channel with one that issues conversation ids itself.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from bot.services.inbound_text import clean_inbound_text


class SafeSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def cleaned(message: UserMessage) -> Any:
            message.text = clean_inbound_text(message.text)
            return await on_new_message(message)

        return super().blueprint(cleaned)
