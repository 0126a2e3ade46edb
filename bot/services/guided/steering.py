"""What a steering word does in one guided form: a table per form, read by one function.

Every guided form (the plan, the bucket, goals, the reflection, recovery, check-ins) hears the
same five steering words of content/controls.yml, but they do not mean the same everywhere:
"skip" in a plan question skips it, in the reflection it moves on, in recovery it pauses, and
in a check-in rating it is not offered at all, so it is read as an answer. Each form says so
in a `Steering` table; `bot/actions/guided.steer` does what the table says, with the form's
own callbacks. Pure data and decisions, no Rasa.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.services.guided.controls import Control, control_in


class Move(str, enum.Enum):
    pause = "pause"  # end the form for now; every answer given is kept
    skip = "skip"  # leave this question and go on (the form says to where)
    back = "back"  # the question before
    undo = "undo"  # take back the last answer
    answer = "answer"  # not offered here: the words are an answer like any other


@dataclass(frozen=True)
class Step:
    """One steering word's meaning in a form, and the text (of the form's content) said first."""

    move: Move
    text_id: str | None = None


def pause(text_id: str) -> Step:
    return Step(Move.pause, text_id)


NOT_OFFERED = Step(Move.answer)


@dataclass(frozen=True)
class Steering:
    """What each of the five steering words does in one form; every form states all five."""

    stop: Step
    later: Step
    skip: Step
    back: Step
    undo: Step

    def step(self, control: Control) -> Step:
        return getattr(self, control.value)

    def step_for(self, text: str) -> Step | None:
        """What this whole message does as a steering word here, or None: an answer (not a
        steering word at all, or one this form does not offer)."""
        control = control_in(text)
        if control is None:
            return None
        step = self.step(control)
        return None if step.move is Move.answer else step
