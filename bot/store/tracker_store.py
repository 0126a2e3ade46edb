"""Rasa's tracker store on our own database.

Rasa's SQLTrackerStore is configured with separate dialect/host/db fields; we want one
DATABASE_URL for everything, and our SQLite settings (WAL, busy timeout) on its connections
too. Named in endpoints.yml as `bot.store.tracker_store.AlongsideTrackerStore`.

Rasa keeps each event (with the person's words and every slot) as JSON in `events.data`. Here
that column is encrypted (bot/store/encrypted.py), so the conversation history is not readable
from a copy of the database. Only the event type, intent and action names stay in clear, for
Rasa's own queries. Rows written before encryption (plain JSON) are still read.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.orm import DeclarativeMeta, registry

from bot.rasa_patches.action_guard import install as install_action_guard
from bot.rasa_patches.speedups import install as install_rasa_speedups
from bot.settings import get_settings
from bot.store.db import configure_engine, make_engine
from bot.store.encrypted import EncryptedText

PLAIN_JSON_PREFIXES = ("{", "[")


class EncryptedEventData(EncryptedText):
    """Encrypts new event data; reads old plain-JSON rows as they are (Fernet tokens never
    start with "{")."""

    cache_ok = True

    def process_result_value(self, value, dialect):
        if value is not None and value.startswith(PLAIN_JSON_PREFIXES):
            return value
        return super().process_result_value(value, dialect)


_EVENTS_REGISTRY = registry()


class AlongsideTrackerStore(SQLTrackerStore):
    # Rasa's own table, column for column, except that `data` is encrypted.
    class Base(metaclass=DeclarativeMeta):  # Rasa's own metadata, apart from Alongside's tables
        __abstract__ = True
        registry = _EVENTS_REGISTRY
        metadata = _EVENTS_REGISTRY.metadata
        __init__ = _EVENTS_REGISTRY.constructor

    class SQLEvent(Base):
        __tablename__ = "events"

        id = sa.Column(sa.Integer, sa.Sequence("events_seq", optional=True), primary_key=True)
        sender_id = sa.Column(sa.String(255), nullable=False, index=True)
        type_name = sa.Column(sa.String(255), nullable=False)
        timestamp = sa.Column(sa.Float)
        intent_name = sa.Column(sa.String(255))
        action_name = sa.Column(sa.String(255))
        data = sa.Column(EncryptedEventData)

    def __init__(
        self,
        domain: Domain | None = None,
        event_broker: EventBroker | None = None,
        database_url: str | None = None,
        host: str | None = None,  # Rasa passes endpoints.yml's `url` here; we use DATABASE_URL
        **kwargs: Any,
    ) -> None:
        install_rasa_speedups()  # every rasa server builds this store: see bot/rasa_patches/speedups.py
        install_action_guard()  # a turn whose action cannot run stops kindly: bot/rasa_patches/action_guard.py
        url = database_url or get_settings().database_url
        make_engine(url).dispose()  # creates the SQLite folder if needed
        # A host containing "://" is taken by SQLTrackerStore as a complete URL.
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        self.engine.dispose()  # connections opened before our settings applied are dropped
        configure_engine(self.engine)
