"""The short guided tour of care coordination (content/care_coordination_tour.yml): one step
at a time, personalised with the coordinator's name when we know it."""

from __future__ import annotations

from bot.services.guided import content as guided_content


def content() -> guided_content.GuidedContent:
    return guided_content.load("care_coordination_tour.yml")


def step_count() -> int:
    return len(content().steps)


def step_messages(index: int, coordinator_name: str | None = None) -> list[str]:
    """What to send for step `index` (0-based): the step, the coordinator's name after the
    first, then how to go on (or the end). [] past the last step."""
    words = content()
    if not 0 <= index < len(words.steps):
        return []
    messages = [words.steps[index].text]
    if index == 0 and coordinator_name:
        messages.append(words.text("your_coordinator", name=coordinator_name))
    messages.append(words.text("next_hint" if index + 1 < len(words.steps) else "end"))
    return messages
