"""Measured fixes for time Rasa 3.6 spends on every turn, installed in the rasa server process.

`make bench` found that about half of a turn went on one line: after every custom action, Rasa
checks the action server's answer with `jsonschema.validate(result, schema)`, and that function
first checks the *schema itself* against JSON Schema's meta-schema, every call (with the
jsonschema 4.17 Rasa brings, about 100 ms on this machine, for a schema that never changes). Here
the answer is checked against the same schema, by a validator built once: the same errors for the
same answers, without re-checking the schema. See docs/performance.md.

`install()` is idempotent; the tracker store (bot/store/tracker_store.py), which every rasa server
process builds from endpoints.yml, calls it, so `rasa run` needs no wrapper. Nothing here changes
what is accepted or stored.
"""
from __future__ import annotations

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


def install() -> None:
    global _INSTALLED
    if _INSTALLED:
        return
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = _validate_action_result
    _INSTALLED = True
