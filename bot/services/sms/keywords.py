"""The words carriers and Twilio reserve on SMS: STOP, START and HELP.

A message that is exactly one of these words (any case, spaces and a final full stop or
exclamation mark ignored) is a keyword. Twilio blocks a number that sends STOP (later sends
fail with error 21610) and unblocks it on START, whatever our code does, so we record the same
thing and send nothing in between. The words are fixed by carriers, not by us, so they live
here rather than in content/.

Keyword handling never decides alone: the channel still runs the message through NLU first,
so a crisis message is never swallowed (see bot/channels/sms.py).
"""

from __future__ import annotations

import enum


class Keyword(str, enum.Enum):
    opt_out = "opt_out"  # stop all texts
    opt_in = "opt_in"  # texts again, after an opt-out
    help = "help"  # what this number is and how to stop


_KEYWORDS = {
    # OPTOUT and REVOKE: on Twilio's Advanced Opt-Out list too (they opt the number out there).
    **{
        word: Keyword.opt_out
        for word in ("stop", "stopall", "unsubscribe", "cancel", "end", "quit", "optout", "revoke")
    },
    **{word: Keyword.opt_in for word in ("start", "yes", "unstop")},
    **{word: Keyword.help for word in ("help", "info")},
}


def keyword_in(text: str) -> Keyword | None:
    """The keyword this whole message is, or None. "STOP", " stop. " -> opt_out;
    "stop asking me that" -> None (an ordinary message)."""
    word = (text or "").strip().rstrip(".!").strip().lower()
    return _KEYWORDS.get(word)
