"""Rasa's lock store, each change one atomic step: in Redis for several rasa servers, in memory
for one.

Rasa serves one message of a conversation at a time by handing out numbered tickets: a message
takes the next ticket, waits until it is the lowest one left, is processed, then gives its ticket
back. Rasa 3.6's own RedisLockStore reads the conversation's lock from Redis, changes it in
Python and writes it back (GET, then SET). Two servers doing that at once both read "last ticket
4", both write "5", and both go ahead together: the two messages are processed at the same time,
the tracker is loaded twice and one turn's events can be lost or interleaved. Giving a ticket
back the same way can drop a ticket another server just took, and "nobody waiting, delete the
lock" can delete a lock somebody joined a moment before (that message then fails with LockError).
`tests/test_lock_store.py` shows Rasa's store handing out a ticket twice under contention.

Here every change (take a ticket, give one back, clear expired tickets) is one Redis transaction:
WATCH the key, read, change in Python with Rasa's own TicketLock, then MULTI/SET (or DEL)/EXEC;
if another server changed the key in between, EXEC fails and the step runs again on the new
value. The stored value is Rasa's own serialised TicketLock, and each key expires a little after
its last ticket, so a crashed server leaves nothing behind for long.

Without REDIS_URL (`make run`, one rasa server with one Sanic worker) the locks live in this
process's memory, where each change already runs without an await in the middle.

Named in endpoints.yml as `bot.store.lock_store.AlongsideLockStore`; REDIS_URL and
REDIS_KEY_PREFIX come from bot/settings.py.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore

from bot.settings import get_settings

logger = logging.getLogger(__name__)

Result = TypeVar("Result")
# How often a message waiting behind another one of the same conversation looks again. Rasa's
# default is 1 s, which adds up to a second to a person's reply whenever two messages overlap.
WAIT_BETWEEN_TRIES_S = 0.02
# A lock key outlives its newest ticket by this much.
KEY_MARGIN_S = 5.0
SOCKET_TIMEOUT_S = 10.0


class AlongsideLockStore(LockStore):
    def __init__(
        self,
        endpoint_config: Any = None,
        redis_url: str | None = None,
        key_prefix: str | None = None,
        **_: Any,
    ) -> None:
        settings = get_settings()
        url = settings.redis_url if redis_url is None else redis_url
        self.key_prefix = f"{key_prefix or settings.redis_key_prefix}:lock:"
        self._memory: dict[str, TicketLock] = {}
        self.red = None
        if url:
            import redis

            self.red = redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT_S, health_check_interval=30)
            self.red.ping()  # fail at start-up, not on the first message
        super().__init__()

    @property
    def uses_redis(self) -> bool:
        return self.red is not None

    # -- reading and the primitive writes Rasa's base class may call -----------------------------

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    @staticmethod
    def _parse(raw: bytes | None) -> TicketLock | None:
        return TicketLock.from_dict(json.loads(raw)) if raw else None

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        if self.red is None:
            return self._memory.get(conversation_id)
        return self._parse(self.red.get(self._key(conversation_id)))

    def save_lock(self, lock: TicketLock) -> None:
        if self.red is None:
            self._memory[lock.conversation_id] = lock
        else:
            self.red.set(self._key(lock.conversation_id), lock.dumps(), px=_time_to_live_ms(lock))

    def delete_lock(self, conversation_id: str) -> None:
        if self.red is None:
            self._memory.pop(conversation_id, None)
        else:
            self.red.delete(self._key(conversation_id))

    # -- every change in one atomic step ----------------------------------------------------------

    def _change(
        self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, Result]]
    ) -> Result:
        """Apply `change` to the stored lock atomically. It returns the lock to store (None, or
        one without tickets, deletes it) and a result. In Redis it may run more than once."""
        if self.red is None:
            lock, result = change(self._memory.get(conversation_id))
            if lock is None or not lock.tickets:
                self._memory.pop(conversation_id, None)
            else:
                self._memory[conversation_id] = lock
            return result

        key = self._key(conversation_id)
        results: list[Result] = []

        def attempt(pipe) -> None:
            results.clear()
            lock, result = change(self._parse(pipe.get(key)))  # immediate mode while watching
            results.append(result)
            pipe.multi()
            if lock is None or not lock.tickets:
                pipe.delete(key)
            else:
                pipe.set(key, lock.dumps(), px=_time_to_live_ms(lock))

        self.red.transaction(attempt, key)
        return results[0]

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            lock.remove_expired_tickets()
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, take)
        except Exception as error:  # as Rasa's own: the message fails with a LockError
            raise LockError(f"Could not issue a ticket for the conversation ({type(error).__name__}).") from error

    def update_lock(self, conversation_id: str) -> None:
        def clear_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, clear_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self.cleanup(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back; the lock goes when no ticket is left (one step, so a ticket
        taken meanwhile by another server is never lost)."""

        def give_back(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, give_back)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = WAIT_BETWEEN_TRIES_S,
    ) -> AsyncGenerator[TicketLock, None]:
        async with super().lock(
            conversation_id, lock_lifetime, min(wait_time_in_seconds, WAIT_BETWEEN_TRIES_S)
        ) as held:
            yield held


def _time_to_live_ms(lock: TicketLock) -> int:
    newest = max((ticket.expires for ticket in lock.tickets), default=time.time())
    return max(1, math.ceil((newest - time.time() + KEY_MARGIN_S) * 1000))
