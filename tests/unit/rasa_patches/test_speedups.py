"""The action-answer check installed in the rasa server accepts and refuses what Rasa's own does."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.rasa_patches.speedups import _validate_action_result, install

GOOD = {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]}
BAD = [
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"responses": ["not an object"]},
]


def test_the_same_answers_pass_and_fail_as_with_rasas_own_check():
    from jsonschema import validate

    action = RemoteAction("action_x", None)
    assert _validate_action_result(action, GOOD) is True
    validate(GOOD, RemoteAction.action_response_format_spec())
    for answer in BAD:
        with pytest.raises(ValidationError):
            validate(answer, RemoteAction.action_response_format_spec())
        with pytest.raises(ValidationError) as refused:
            _validate_action_result(action, answer)
        assert "Failed to validate Action server response" in refused.value.message


def test_install_is_idempotent_and_replaces_the_check():
    install()
    install()
    assert RemoteAction._validate_action_result is _validate_action_result


def test_event_classes_are_found_as_by_rasa_itself():
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

    install()
    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("slot") is SlotSet  # remembered
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("action", default=SlotSet) is ActionExecuted
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")
    event = Event.from_parameters({"event": "slot", "name": "x", "value": 1})
    assert isinstance(event, SlotSet) and event.value == 1
