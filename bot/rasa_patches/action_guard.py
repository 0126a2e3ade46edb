"""When the action server cannot run an action, the turn stops and the channel says so kindly.

Rasa 3.6 logs a failed custom action ("Bot will continue, but the actions events are lost")
and carries on: "hello" gets an empty reply, an answer given inside a form is dropped, and an
SMS is marked answered with nothing sent. Here a custom action that cannot be run (the action
server refuses the connection, times out or answers 5xx) is tried again while the launcher
restarts a crashed action server (connection refused only: the action never ran, so trying
again cannot do anything twice), and then raises `ActionServerUnavailable`.

`ActionServerUnavailable` derives from BaseException on purpose: Rasa's processor and form
code catch `Exception` around actions and would swallow it. It leaves the turn before the
tracker is saved, so the conversation is exactly as it was before the message (nothing half
done); each of our channels catches it and answers with the "something went wrong" reply and
the crisis contacts (content/crisis.yml `turn_failed`), and SMS keeps the text to answer later
(bot/channels/sms.py).

`install()` is idempotent; the tracker store calls it, like bot/rasa_patches/speedups.py, so it is in
every rasa server process and in the tests' in-process agent.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

logger = logging.getLogger(__name__)

# Waits between tries when the action server refuses the connection (about 3 s in all: the
# launcher restarts a crashed action server after its first back-off).
RETRY_DELAYS_SECONDS = (0.25, 0.75, 2.0)

_INSTALLED = False
_original_run: Any = None


class ActionServerUnavailable(BaseException):
    """A custom action could not be run; the turn was abandoned before anything was saved."""


def _cause_of(error: BaseException) -> BaseException | None:
    return error.__cause__ or error.__context__


def _connection_refused(error: BaseException) -> bool:
    import aiohttp

    return isinstance(_cause_of(error), aiohttp.ClientConnectionError) and not isinstance(
        _cause_of(error), aiohttp.ServerTimeoutError
    )


def _cannot_run(error: BaseException) -> bool:
    """True for failures of the action server itself (not an action rejecting a slot)."""
    import aiohttp

    cause = _cause_of(error)
    if isinstance(cause, aiohttp.ClientResponseError):
        return cause.status >= 500
    return isinstance(cause, (aiohttp.ClientError, asyncio.TimeoutError)) or "no endpoint is configured" in str(error)


async def _guarded_run(self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list:
    from rasa.shared.exceptions import RasaException

    for delay in (*RETRY_DELAYS_SECONDS, None):
        try:
            return await _original_run(self, output_channel, nlg, tracker, domain)
        except RasaException as error:
            if not _cannot_run(error):
                raise
            if delay is None or not _connection_refused(error):
                logger.error("Action %s could not be run: the turn is abandoned, nothing saved.", self.name())
                raise ActionServerUnavailable(self.name()) from error
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


def install() -> None:
    global _INSTALLED, _original_run
    if _INSTALLED:
        return
    from rasa.core.actions.action import RemoteAction

    _original_run = RemoteAction.run
    RemoteAction.run = _guarded_run
    _INSTALLED = True
