"""Keep conversation history only as long as it is needed (the plan is kept separately).

Rasa keeps every turn forever. The worker calls `forget_old_conversations` daily: it deletes
history events older than CONVERSATION_RETENTION_DAYS, but only from conversation sessions that
have ended (a newer session has started since), so the conversation a person is in the middle of
is never cut. The person's plan, consents and goals are not touched: they stay until the person
deletes them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from bot.services.privacy.personal_data import EVENTS


def forget_old_conversations(engine: Engine, now: datetime, keep_days: int) -> int:
    """Delete old, finished conversation history. Returns how many events went."""
    if "events" not in inspect(engine).get_table_names():
        return 0
    cutoff = (now - timedelta(days=keep_days)).timestamp()
    later = aliased(EVENTS)
    latest_session_start = (
        select(func.max(later.c.timestamp))
        .where(later.c.sender_id == EVENTS.c.sender_id, later.c.type_name == "session_started")
        .scalar_subquery()
    )
    with engine.begin() as connection:
        return connection.execute(
            EVENTS.delete().where(and_(EVENTS.c.timestamp < cutoff, EVENTS.c.timestamp < latest_session_start))
        ).rowcount
