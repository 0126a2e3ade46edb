"""The action-answer check installed in the rasa server accepts and refuses what Rasa's own does."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.rasa_speedups import _validate_action_result, install

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
