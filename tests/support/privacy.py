"""Reading the whole database back in clear, to prove something is (or is not) anywhere in it."""

from __future__ import annotations

from sqlalchemy import inspect, select

from bot.services.privacy.personal_data import EVENTS, _event_data
from bot.store.all_models import all_metadata
from bot.store.db import get_engine


def everything_stored(leave_out: frozenset[str] = frozenset(), with_history: bool = True) -> str:
    """Every value in every table (but those left out), decrypted, and Rasa's history unless not wanted."""
    engine = get_engine()
    parts: list[str] = []
    with engine.connect() as connection:
        for table in all_metadata().sorted_tables:
            if table.name in leave_out:
                continue
            for row in connection.execute(select(table)):
                parts.extend(str(value) for value in row if value is not None)
        if with_history and "events" in inspect(engine).get_table_names():
            for row in connection.execute(select(EVENTS.c.sender_id, EVENTS.c.data)):
                parts.append(row.sender_id)
                parts.append(str(_event_data(row.data)))
    return "\n".join(parts)
