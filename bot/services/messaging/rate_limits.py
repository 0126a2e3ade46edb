"""Per-sender rate limits for the chat channels (SMS and web chat).

One person (or one script pretending to be many messages) should not be able to keep the
assistant, the database or the SMS bill busy. But a limit must never stand between a person in
crisis and the crisis contacts, so the channels use this in three steps:

1. `check` says whether this message is within the sender's limit;
2. a message over the limit is still read by NLU alone (no dialogue turn), and a crisis
   message is answered as usual;
3. any other message over the limit is not taken into the conversation: the first one in a
   window gets a "please slow down" reply from content, the rest get nothing (on SMS each
   reply costs money and could be used to flood someone's phone).

The counts live in the memory of one rasa server process: enough to stop a flood, and nothing
to store or clean up. With several rasa servers each keeps its own (docs/privacy.md).
"""

from __future__ import annotations

import enum
import threading
import time
from collections import deque
from collections.abc import Callable

# Senders not heard from for this many windows are forgotten, so memory stays bounded.
FORGET_AFTER_WINDOWS = 2
SWEEP_EVERY_CHECKS = 1000


class Verdict(str, enum.Enum):
    allowed = "allowed"  # within the limit: an ordinary turn
    slow_down = "slow_down"  # the first message over the limit in this window: say so once
    quiet = "quiet"  # over the limit again: nothing is sent back


class SenderRateLimiter:
    """A sliding window per sender: at most `limit` messages in any `window_seconds`."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._arrivals: dict[str, deque[float]] = {}
        self._warned_at: dict[str, float] = {}
        self._checks = 0
        self._lock = threading.Lock()

    def check(self, sender_id: str, limit: int, window_seconds: float) -> Verdict:
        """Count this message and say what to do with it. Messages over the limit are not
        counted, so a person who waits a window is let in again whatever they sent meanwhile."""
        now = self._clock()
        with self._lock:
            self._checks += 1
            if self._checks % SWEEP_EVERY_CHECKS == 0:
                self._forget_idle(now, window_seconds)
            arrivals = self._arrivals.setdefault(sender_id, deque())
            while arrivals and arrivals[0] <= now - window_seconds:
                arrivals.popleft()
            if len(arrivals) < limit:
                arrivals.append(now)
                return Verdict.allowed
            warned_at = self._warned_at.get(sender_id)
            if warned_at is not None and warned_at > now - window_seconds:
                return Verdict.quiet
            self._warned_at[sender_id] = now
            return Verdict.slow_down

    def _forget_idle(self, now: float, window_seconds: float) -> None:
        horizon = now - FORGET_AFTER_WINDOWS * window_seconds
        for sender_id in [s for s, arrivals in self._arrivals.items() if not arrivals or arrivals[-1] <= horizon]:
            del self._arrivals[sender_id]
        for sender_id in [s for s, warned_at in self._warned_at.items() if warned_at <= horizon]:
            del self._warned_at[sender_id]

    def senders_remembered(self) -> int:
        with self._lock:
            return len(self._arrivals)
