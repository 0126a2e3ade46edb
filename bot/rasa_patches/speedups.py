"""Measured fixes for time Rasa 3.6 spends on every turn, installed in the rasa server process.

`make bench` found that about half of a turn went on one line: after every custom action, Rasa
checks the action server's answer with `jsonschema.validate(result, schema)`, and that function
first checks the *schema itself* against JSON Schema's meta-schema, every call (with the
jsonschema 4.17 Rasa brings, about 100 ms on this machine, for a schema that never changes). Here
the answer is checked against the same schema, by a validator built once: the same errors for the
same answers, without re-checking the schema. See docs/performance.md.

Second, reading a conversation back: for every stored event Rasa finds the event's class by
walking all of Event's subclasses (`Event.resolve_by_type`, about 70 us a call here, a hundred
or more calls a turn). Here each name's class is remembered once found, with the same answer,
the same "topic" and `default` handling and the same error for an unknown name.

`install()` is idempotent; the tracker store (bot/store/tracker_store.py), which every rasa server
process builds from endpoints.yml, calls it, so `rasa run` needs no wrapper. Nothing here changes
what is accepted or stored.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

_INSTALLED = False


@lru_cache(maxsize=1)
def _action_result_validator():
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once, as jsonschema.validate would on each call
    return validator_class(schema)


def _validate_action_result(self, result: dict[str, Any]) -> bool:
    """Rasa's RemoteAction._validate_action_result, with the validator built once."""
    from jsonschema import ValidationError, exceptions
    from rasa.shared.constants import DOCS_BASE_URL

    error = exceptions.best_match(_action_result_validator().iter_errors(result))
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action "
        f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


_EVENT_CLASSES: dict[str, type] = {}
_original_resolve_by_type: Callable[..., Any] | None = None


def _resolve_by_type(type_name: str, default: type | None = None) -> type | None:
    """Rasa's Event.resolve_by_type, each name's class remembered once found."""
    found = _EVENT_CLASSES.get(type_name)
    if found is not None:
        return found
    try:
        assert _original_resolve_by_type is not None, "install() sets it before this is called"
        found = _original_resolve_by_type(type_name)
    except ValueError:
        if default is not None:
            return default
        raise
    if found is not None:  # None only for the old "topic" event, as Rasa's own
        _EVENT_CLASSES[type_name] = found
    return found


def install() -> None:
    global _INSTALLED, _original_resolve_by_type
    if _INSTALLED:
        return
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    RemoteAction._validate_action_result = _validate_action_result
    _original_resolve_by_type = Event.resolve_by_type
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    _INSTALLED = True
