"""What the web chat page shows again after a reload: the conversation's last messages, and the
suggested replies (buttons) while they are still the current question.

The page shows a bot message's buttons until the person next says anything (a later bot message
without buttons does not hide them), so after a reload the same buttons come back: those of the
last bot message that had any since the person last spoke. Once the person has answered, there
are none. Plain Python: bot/channels/webchat.py turns Rasa's events into `Said`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

USER = "user"
BOT = "bot"


@dataclass(frozen=True)
class Said:
    by: str  # USER or BOT
    text: str
    replies: tuple[str, ...] = ()  # the button titles a bot message offered


def button_titles(buttons: Iterable[Mapping[str, Any]] | None) -> tuple[str, ...]:
    """The titles of a message's buttons, skipping any without one. A quick reply sends its
    title as text, which NLU reads like any words, so the title is all the page needs."""
    if not buttons:
        return ()
    return tuple(str(button["title"]) for button in buttons if isinstance(button, Mapping) and button.get("title"))


def pending_reply_index(said: Sequence[Said]) -> int | None:
    """Which message's buttons are still waiting for an answer, or None (the person has spoken
    since, or nothing offered any)."""
    for index in range(len(said) - 1, -1, -1):
        if said[index].by == USER:
            return None
        if said[index].replies:
            return index
    return None


def history_entries(said: Sequence[Said], limit: int) -> list[dict[str, Any]]:
    """The last `limit` messages as the page's `history` event gives them: {"from", "text"},
    and on the message whose buttons are still pending, "quick_replies": [{"title"}]."""
    pending = pending_reply_index(said)
    entries: list[dict[str, Any]] = []
    for index, message in enumerate(said):
        if not message.text and index != pending:
            continue
        entry: dict[str, Any] = {"from": USER if message.by == USER else BOT, "text": message.text}
        if index == pending:
            entry["quick_replies"] = [{"title": title} for title in message.replies]
        entries.append(entry)
    return entries[-limit:] if limit > 0 else []
