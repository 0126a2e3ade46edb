"""One steering table per guided form, read by one function (bot/services/guided/steering.py,
bot/actions/guided.steer). No Rasa server, no database: the tables are data, the callbacks stubs."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import bucket, checkins, goals, recovery, stuck, wrap
from bot.actions.guided import steer
from bot.services.guided.controls import Control, _phrases
from bot.services.guided.list_answers import is_done
from bot.services.guided.steering import NOT_OFFERED, Move, Steering, Step, pause
from bot.services.recovery import bucket as bucket_service
from bot.services.recovery import checkins as checkins_service
from bot.services.recovery import stuck as stuck_service
from bot.services.wrap.content import load_wrap_content

PAUSE, SKIP, BACK, UNDO = Move.pause, Move.skip, Move.back, Move.undo
ANSWER = None  # not offered: the words are read as an answer

# What each form does today with stop, later, skip, back, undo: (move, text said first).
FORMS = {
    "wrap": (
        wrap.STEERING,
        load_wrap_content,
        [(PAUSE, "stopped"), (PAUSE, "later"), (SKIP, "skipped"), (BACK, None), (UNDO, None)],
    ),
    "bucket": (
        bucket.STEERING,
        bucket_service.content,
        [(PAUSE, "paused"), (PAUSE, "paused"), (SKIP, None), (SKIP, None), (SKIP, None)],
    ),
    "goal": (
        goals.GOAL_STEERING,
        checkins_service.content,
        [(PAUSE, "goal_paused")] * 5,
    ),
    "goal step": (
        goals.STEP_STEERING,
        checkins_service.content,
        [(PAUSE, "goal_paused"), (PAUSE, "goal_paused")] + [(SKIP, "step_skipped")] * 3,
    ),
    "stuck": (
        stuck.STEERING,
        stuck_service.content,
        [(PAUSE, "paused"), (PAUSE, "paused")] + [(SKIP, "skipped")] * 3,
    ),
    "recovery": (
        recovery.STEERING,
        checkins_service.content,
        [(PAUSE, "recovery_later")] * 4 + [ANSWER],
    ),
    "checkin rating": (
        checkins.RATING_STEERING,
        checkins_service.content,
        [(PAUSE, "checkin_later"), (PAUSE, "checkin_later"), ANSWER, ANSWER, ANSWER],
    ),
    "checkin note": (checkins.NOTE_STEERING, checkins_service.content, [(SKIP, None)] * 5),
    "checkin rhythm": (checkins.RHYTHM_STEERING, checkins_service.content, [(PAUSE, "rhythm_later")] * 5),
}
SAID = {
    Control.stop: "stop",
    Control.later: "later",
    Control.skip: "skip",
    Control.back: "go back",
    Control.undo: "undo",
}
CASES = [
    pytest.param(name, control, expected, id=f"{name}-{control.value}")
    for name, (_, _, row) in FORMS.items()
    for control, expected in zip(Control, row, strict=True)
]


@pytest.mark.parametrize(("form", "control", "expected"), CASES)
def test_each_forms_table_says_what_each_steering_word_does(form, control, expected):
    steering = FORMS[form][0]
    step = steering.step_for(SAID[control])
    if expected is ANSWER:
        assert step is None
    else:
        assert step is not None and (step.move, step.text_id) == expected


@pytest.mark.parametrize("form", FORMS)
def test_every_text_a_table_says_is_in_that_forms_content_and_needs_no_values(form):
    steering, content, _ = FORMS[form]
    for control in Control:
        text_id = steering.step(control).text_id
        if text_id:
            assert content().text(text_id).strip()


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "answer", ["I stop answering the phone", "skipping meals", "going back to bed", "undone", "crowds", ""]
)
def test_words_that_are_not_a_steering_word_are_an_answer_in_every_form(form, answer):
    assert FORMS[form][0].step_for(answer) is None


def test_every_phrasing_of_a_word_means_the_same_in_a_table():
    for phrase, control in _phrases().items():
        assert recovery.STEERING.step_for(phrase) == (None if control is Control.undo else pause("recovery_later"))


def test_a_not_offered_word_is_an_answer():
    steering = Steering(stop=pause("paused"), later=NOT_OFFERED, skip=NOT_OFFERED, back=NOT_OFFERED, undo=NOT_OFFERED)
    assert steering.step_for("later") is None
    assert steering.step_for("Not now.") is None
    assert steering.step_for("stop") == Step(Move.pause, "paused")


def test_no_skip_back_or_undo_phrase_is_a_list_done_reply():
    # The bucket reads "that's all" after steering: only "stop" phrases ("done") are both.
    both = {control for phrase, control in _phrases().items() if is_done(phrase)}
    assert both <= {Control.stop}


class Texts:
    def text(self, text_id: str, **values) -> str:
        return f"<{text_id}>"


TABLE = Steering(
    stop=pause("stopped"),
    later=pause("later"),
    skip=Step(Move.skip, "skipped"),
    back=Step(Move.back),
    undo=NOT_OFFERED,
)


def _steer(text, **callbacks):
    dispatcher = CollectingDispatcher()
    result = steer(TABLE, text, dispatcher, Texts(), **callbacks)
    return result, [message["text"] for message in dispatcher.messages]


def test_steer_pauses_with_the_forms_slot_values_after_saying_the_tables_text():
    paused = {"answer": "__paused__", "list_open": False}
    result, said = _steer("later", paused=paused)
    assert result == paused and result is not paused
    assert said == ["<later>"]


def test_steer_says_the_tables_text_then_runs_the_forms_callback():
    calls = []

    def skip():
        calls.append("skip")
        return {"answer": None}

    result, said = _steer("skip this", paused={}, skip=skip)
    assert result == {"answer": None} and calls == ["skip"]
    assert said == ["<skipped>"]
    result, said = _steer("go back", back=lambda: {"answer": "back"})
    assert result == {"answer": "back"} and said == []


@pytest.mark.parametrize("text", ["undo", "crowds, payday", "I stop answering the phone"])
def test_steer_returns_none_and_says_nothing_for_an_answer(text):
    assert _steer(text, paused={}, undo=lambda: pytest.fail("undo is not offered")) == (None, [])


def test_steer_refuses_a_table_move_the_form_gave_no_callback_for():
    with pytest.raises(ValueError, match="skip"):
        _steer("skip")
    with pytest.raises(ValueError, match="paused"):
        _steer("stop")
