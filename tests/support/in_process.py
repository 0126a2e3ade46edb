"""Whole conversations in one process: the real trained model, the real action code, a real
database. Only the HTTP hop between the rasa server and the action server is skipped, so
tests are fast and see the actions' exceptions directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection as RasaRejection
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection as SdkRejection

from bot.channels.crisis_check import turn_failed_text
from bot.language.inbound_text import clean_inbound_text
from bot.rasa_patches.action_guard import ActionServerUnavailable


class InProcessActionEndpoint(EndpointConfig):
    """An action endpoint that runs rasa-sdk's executor directly instead of over HTTP."""

    def __init__(self, executor: ActionExecutor | None = None) -> None:
        super().__init__(url="http://in-process.invalid/webhook")
        if executor is None:
            executor = ActionExecutor()
            executor.register_package("bot.actions")
        self.executor = executor

    async def request(
        self,
        method: str = "post",
        subpath: str | None = None,
        content_type: str | None = "application/json",
        compress: bool = False,
        **kwargs: Any,
    ) -> Any:
        # Through JSON and back, as on the wire: catches anything that would not serialise.
        action_call = json.loads(json.dumps(kwargs["json"]))
        try:
            result = await self.executor.run(action_call)
        except SdkRejection as rejection:
            raise RasaRejection(rejection.action_name, rejection.message) from rejection
        return json.loads(json.dumps(result))


@dataclass
class Reply:
    text: str
    buttons: list[dict] = field(default_factory=list)

    @property
    def button_titles(self) -> list[str]:
        return [button["title"] for button in self.buttons]


@dataclass
class Conversation:
    """One person talking to the assistant, as a channel would deliver their messages."""

    agent: Agent
    sender_id: str
    channel: str = "rest"
    metadata: dict[str, Any] | None = None  # as a channel adds it (the web chat: where it came from)

    async def say(self, text: str) -> list[Reply]:
        collector = CollectingOutputChannel()
        message = UserMessage(
            clean_inbound_text(text), collector, self.sender_id, input_channel=self.channel, metadata=self.metadata
        )
        try:
            await self.agent.handle_message(message)
        except ActionServerUnavailable:  # as our channels do (bot/channels/rest.py, webchat.py)
            collector.messages.append({"text": turn_failed_text()})
        return [Reply(m.get("text") or "", m.get("buttons") or []) for m in collector.messages]

    async def say_text(self, text: str) -> str:
        """All reply texts joined, for assertions that do not care how they were split."""
        return "\n".join(reply.text for reply in await self.say(text))

    async def tracker(self):
        return await self.agent.tracker_store.retrieve(self.sender_id)

    async def slot(self, name: str) -> Any:
        return (await self.tracker()).get_slot(name)
