"""What a deliverer (SMS or email) says happened, in words the worker can act on safely.

- `NotSent`: the provider definitely did not take it (refused connection, 5xx, 429): try again
  later with backoff.
- `Refused`: permanent (a bad number, a number that sent STOP): give up and record why.
- `Uncertain`: it may have gone (the connection broke after the request was sent): never resend
  blindly; the worker asks the provider later, as for a worker that stopped mid-send.

Error codes are content-free (an HTTP status, a provider code, an exception class name): they
are stored in outbox_messages.last_error and may be logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone


class DeliveryError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code[:200]


class NotSent(DeliveryError):
    """Definitely not accepted: safe to try again."""


class Refused(DeliveryError):
    """Permanently refused. `opted_out` when the provider says the number sent STOP."""

    def __init__(self, code: str, opted_out: bool = False) -> None:
        super().__init__(code)
        self.opted_out = opted_out


class Uncertain(DeliveryError):
    """May or may not have been accepted: check with the provider before sending again."""


class LookupFailed(DeliveryError):
    """The provider could not be asked whether a message went."""


@dataclass(frozen=True)
class Outgoing:
    """One message to deliver, as read from the outbox."""

    key: str  # the outbox idempotency key
    to: str
    body: str
    subject: str | None = None


def as_utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
